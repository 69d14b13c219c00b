#!/usr/bin/env python3
"""The README's examples, run as written, so that they cannot rot.

- Every ```yaml block is a scenario: `gilsim run` on it exits 0.
- Every example command (a line of an indented block, or an inline `build/gilsim ...`, that
  starts with gilsim, build/gilsim or ./build/gilsim and has no placeholder: no [option], no
  "...", no UPPER-CASE word such as SCENARIO) runs in a scratch directory whose scenarios/ is the
  checkout's and whose docs/ is scratch, in the README's order, and exits 0. `gilsim plot`
  commands that need gnuplot are skipped when gnuplot is not installed.

Usage: readme_test.py GILSIM SOURCE_DIR
"""
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

TIMEOUT = 240


def yaml_blocks(text):
    return re.findall(r"^```yaml\n(.*?)^```", text, flags=re.S | re.M)


def commands(text):
    found = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("    "):
            cmd = line.strip()
            while cmd.endswith("\\") and i + 1 < len(lines):
                i += 1
                cmd = cmd[:-1].rstrip() + " " + lines[i].strip()
            found.append(cmd)
        else:
            found += re.findall(r"`((?:\./)?build/gilsim [^`]+)`", line)
        i += 1
    out = []
    for cmd in found:
        cmd = cmd.split("  #")[0].strip()
        if not re.match(r"(\./)?(build/)?gilsim ", cmd):
            continue
        words = shlex.split(cmd)
        placeholder = any("[" in w or "..." in w or "|" in w for w in words) or any(
            re.fullmatch(r"[A-Z][A-Z0-9_.]*(\.[a-z]+)?", w) for w in words[1:])
        if not placeholder:
            out.append(words)
    return out


def run(args, cwd):
    try:
        return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        print("FAIL: %s did not finish within %d s" % (" ".join(args), TIMEOUT))
        sys.exit(1)


def main():
    gilsim, source = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    text = open(os.path.join(source, "README.md"), encoding="utf-8").read()
    failures = []
    with tempfile.TemporaryDirectory(prefix="gilsim-readme-") as tmp:
        os.symlink(os.path.join(source, "scenarios"), os.path.join(tmp, "scenarios"))
        os.mkdir(os.path.join(tmp, "docs"))
        blocks = yaml_blocks(text)
        for n, block in enumerate(blocks, 1):
            path = os.path.join(tmp, "readme-%d.yaml" % n)
            with open(path, "w", encoding="utf-8") as f:
                f.write(block)
            r = run([gilsim, "run", path], tmp)
            if r.returncode != 0:
                failures.append("yaml block %d exits %d: %s" % (n, r.returncode, r.stderr.strip()))
        cmds = commands(text)
        ran = 0
        for words in cmds:
            if words[1] == "plot" and "--out" in words and shutil.which("gnuplot") is None:
                print("skipped (no gnuplot): " + " ".join(words))
                continue
            r = run([gilsim] + words[1:], tmp)
            ran += 1
            if r.returncode != 0:
                failures.append("%s exits %d: %s" % (" ".join(words), r.returncode,
                                                     r.stderr.strip()[-1000:]))
    for f in failures:
        print("FAIL: " + f)
    if failures:
        sys.exit(1)
    if not blocks or ran == 0:
        print("FAIL: found %d yaml blocks and ran %d commands" % (len(blocks), ran))
        sys.exit(1)
    print("ok: %d yaml blocks and %d commands of the README" % (len(blocks), ran))


if __name__ == "__main__":
    main()
