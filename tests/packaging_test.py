#!/usr/bin/python3
"""Packaging end to end: `cmake --install BUILD --prefix DIR` gives a working DIR/bin/gilsim
(--version, a run of an installed scenario), its man page (when help2man made one), the bash
completion (which knows every command's options, as each --help lists them), the Python package
driving the installed binary; and `cpack -G DEB` makes a .deb holding them, whose Depends name
the package of every library the binary links. As root with GILSIM_CI=1, `apt install` of the
.deb gives a working /usr/bin/gilsim (then it is removed again).

Usage: packaging_test.py BUILD_DIR VERSION
"""
import os
import pathlib
import re
import subprocess
import sys
import tempfile

build, version = pathlib.Path(sys.argv[1]), sys.argv[2]
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def out(*args, **kw):
    return subprocess.run([str(a) for a in args], check=True, capture_output=True, text=True,
                          **kw).stdout


def package_of(library_path):
    """The Debian package that ships this library file (usrmerge: /lib and /usr/lib alike)."""
    paths = []
    for p in (library_path, os.path.realpath(library_path)):
        paths += [p, re.sub(r"^/usr/lib/", "/lib/", p), re.sub(r"^/lib/", "/usr/lib/", p)]
    for path in dict.fromkeys(paths):
        r = subprocess.run(["dpkg", "-S", path], capture_output=True, text=True)
        if r.returncode == 0:
            return r.stdout.split(":")[0].strip()
    return None


def check_depends(depends):
    """Every library the binary links (readelf's NEEDED) comes from a package the .deb's
    Depends names, and every package named there exists in this Debian: apt installs them."""
    named = {alt.split("(")[0].strip().split(":")[0]
             for dep in depends.split(",") for alt in dep.split("|")}
    needed = re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]",
                        out("readelf", "-d", build / "gilsim"))
    located = dict(re.findall(r"^\s*(\S+) => (/\S+)", out("ldd", build / "gilsim"), re.M))
    check(len(needed) >= 4, f"the binary's direct libraries: {needed}")
    for lib in needed:
        pkg = package_of(located[lib]) if lib in located else None
        check(pkg in named, f"{lib} comes from {pkg}, which the .deb depends on")
    for pkg in sorted(named):
        shown = subprocess.run(["apt-cache", "show", "--no-all-versions", pkg],
                               capture_output=True, text=True)
        check(shown.returncode == 0 and "Package: " + pkg in shown.stdout,
              f"Depends names {pkg}, a package of this Debian")


def install_deb(deb):
    """apt install ./gilsim_*.deb, then /usr/bin/gilsim --version, then remove it again. Only as
    root with GILSIM_CI=1 (CI's throw-away Debian 12): it changes the system."""
    if os.geteuid() != 0 or os.environ.get("GILSIM_CI") != "1":
        print("note: apt install of the .deb is checked as root with GILSIM_CI=1 only "
              "(the Depends are checked above)")
        return
    was_installed = subprocess.run(["dpkg-query", "-W", "-f=${Status}", "gilsim"],
                                   capture_output=True, text=True).stdout.startswith("install ok")
    apt = ["apt-get", "-o", "DPkg::Lock::Timeout=300", "-y"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    r = subprocess.run(apt + ["install", str(deb)], capture_output=True, text=True, env=env)
    check(r.returncode == 0,
          "apt install ./gilsim_*.deb" + ("" if r.returncode == 0 else ": " + r.stderr))
    if r.returncode == 0:
        shown = subprocess.run(["/usr/bin/gilsim", "--version"], capture_output=True, text=True)
        check(shown.stdout.strip() == f"gilsim {version}",
              f"the installed /usr/bin/gilsim --version says gilsim {version}: "
              f"{shown.stdout.strip()}")
        man = subprocess.run(["dpkg", "-L", "gilsim"], capture_output=True, text=True).stdout
        check("/usr/share/man/man1/gilsim.1" in man or "gilsim.1.gz" in man or
              re.search(r"^GILSIM_HELP2MAN:FILEPATH=.*-NOTFOUND$",
                        (build / "CMakeCache.txt").read_text(), re.M) is not None,
              "the package installed its man page")
        if not was_installed:
            subprocess.run(apt + ["remove", "gilsim"], capture_output=True, env=env)


with tempfile.TemporaryDirectory(prefix="gilsim-install-") as tmp:
    prefix = pathlib.Path(tmp) / "prefix"
    out("cmake", "--install", build, "--prefix", prefix)
    gilsim = prefix / "bin" / "gilsim"
    check(out(gilsim, "--version").strip() == f"gilsim {version}",
          f"DIR/bin/gilsim --version says gilsim {version}")
    scenario = prefix / "share" / "gilsim" / "scenarios" / "examples" / "cpu_bound.yaml"
    check('"status": "ok"' in out(gilsim, "run", scenario, "--json"),
          "the installed gilsim runs an installed scenario")
    check((prefix / "share" / "gilsim" / "docs" / "gilsim.schema.json").exists(),
          "the schema is where the installed scenarios' modelines point")

    cache = (build / "CMakeCache.txt").read_text()
    man = prefix / "share" / "man" / "man1" / "gilsim.1"
    if re.search(r"^GILSIM_HELP2MAN:FILEPATH=.*-NOTFOUND$", cache, re.M):
        print("note: help2man was not found at configure time (Debian: help2man): no man page")
    else:
        text = man.read_text() if man.exists() else ""
        check(text.startswith(".\\\"") and ".TH GILSIM" in text and "schema" in text,
              "the man page is installed, made from --help (it lists the commands)")

    completion = prefix / "share" / "bash-completion" / "completions" / "gilsim"
    check(completion.exists(), "the bash completion is installed")
    help_text = out(gilsim, "--help")
    commands = re.findall(r"^  (\w+)\s{2,}", help_text.split("SUBCOMMANDS:")[-1], re.M)
    check(len(commands) >= 9, f"--help lists the commands: {commands}")

    def complete(*words):
        script = (f"source {completion}; COMP_WORDS=({' '.join(words)}); "
                  f"COMP_CWORD={len(words) - 1}; _gilsim; echo ${{COMPREPLY[@]}}")
        return set(out("bash", "-O", "extglob", "-c", script).split())

    check(complete("gilsim", "") >= set(commands) | {"--version"},
          "completion offers every command")
    for cmd in commands:
        options = set(re.findall(r"(?<![\w-])(--?[a-z][\w-]*)", out(gilsim, cmd, "--help")))
        offered = complete("gilsim", cmd, "-")
        missing = options - offered - {"-h"}
        check(not missing, f"completion of `gilsim {cmd} -` offers its options"
              + (f" (missing {sorted(missing)})" if missing else ""))

    env = {**os.environ, "GILSIM_BINARY": str(gilsim),
           "PYTHONPATH": str(prefix / "lib" / "python3" / "dist-packages")}
    where = out(sys.executable, "-c", "import gilsim; print(gilsim.__file__, gilsim.version())",
                env=env, cwd=tmp).split()
    check(where[0].startswith(str(prefix)) and where[1] == version,
          "the installed Python package drives the installed binary")

    pkg = pathlib.Path(tmp) / "pkg"
    out("cpack", "-G", "DEB", "-B", pkg, "--config", build / "CPackConfig.cmake")
    debs = sorted(pkg.glob("gilsim_*.deb"))
    check(len(debs) == 1, f"cpack made one .deb: {[d.name for d in debs]}")
    if debs:
        listing = out("dpkg-deb", "-c", debs[0])
        check("./usr/bin/gilsim" in listing and "completions/gilsim" in listing,
              "the .deb holds /usr/bin/gilsim and the completion")
        depends = out("dpkg-deb", "-f", debs[0], "Depends")
        check("libsimgrid3.32" in depends, f"the .deb depends on SimGrid's library: {depends}")
        check_depends(depends)
        install_deb(debs[0])

if failures:
    print(f"{len(failures)} check(s) failed")
    sys.exit(1)
