# What `cmake --install` puts where, and the .deb CPack makes of it (cpack -G DEB in build/):
# the binary, its man page (made from its --help by help2man at build time, when help2man is
# installed), bash completion, the shipped scenarios with the schema their modelines name, the
# docs, and the Python package.
include(GNUInstallDirs)

install(TARGETS gilsim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# The man page: help2man runs the built gilsim with --help and --version.
find_program(GILSIM_HELP2MAN help2man)
if(GILSIM_HELP2MAN)
  set(GILSIM_MAN ${CMAKE_BINARY_DIR}/gilsim.1)
  add_custom_command(
    OUTPUT ${GILSIM_MAN}
    COMMAND ${GILSIM_HELP2MAN} --no-info --no-discard-stderr
            --name "a discrete-event simulator of CPUs, OS schedulers and the CPython GIL"
            --include ${CMAKE_SOURCE_DIR}/packaging/gilsim.h2m
            --output ${GILSIM_MAN} $<TARGET_FILE:gilsim>
    DEPENDS gilsim ${CMAKE_SOURCE_DIR}/packaging/gilsim.h2m
    COMMENT "Making the man page gilsim.1 with help2man")
  add_custom_target(gilsim_man ALL DEPENDS ${GILSIM_MAN})
  install(FILES ${GILSIM_MAN} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
  message(STATUS "help2man not found: no man page (Debian: help2man)")
endif()

install(FILES ${CMAKE_SOURCE_DIR}/packaging/gilsim.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME gilsim)

# share/gilsim/scenarios/examples/x.yaml names ../../docs/gilsim.schema.json: the schema goes
# to share/gilsim/docs, beside the scenarios.
install(DIRECTORY ${CMAKE_SOURCE_DIR}/scenarios DESTINATION ${CMAKE_INSTALL_DATADIR}/gilsim)
install(FILES ${CMAKE_SOURCE_DIR}/docs/gilsim.schema.json
        DESTINATION ${CMAKE_INSTALL_DATADIR}/gilsim/docs)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})

# The Python package where Debian's python3 looks for packages of the system (/usr); under
# another prefix, put PREFIX/lib/python3/dist-packages on PYTHONPATH.
set(GILSIM_PYTHON_DIR lib/python3/dist-packages CACHE STRING
    "where cmake --install puts the gilsim Python package, under the prefix")
install(DIRECTORY ${CMAKE_SOURCE_DIR}/python/gilsim DESTINATION ${GILSIM_PYTHON_DIR}
        PATTERN __pycache__ EXCLUDE)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME gilsim)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "gilsim maintainers <gilsim@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "discrete-event simulator of CPUs, OS schedulers and the CPython GIL")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
# Debian 12's packages of the libraries the binary links (readelf -d: NEEDED), which
# tests/packaging_test.py checks against dpkg -S.
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libsimgrid3.32, libyaml-cpp0.7, libfmt9, zlib1g, libstdc++6, libgcc-s1, libc6")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "python3, gnuplot-nox")
include(CPack)
