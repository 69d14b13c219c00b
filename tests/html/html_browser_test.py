#!/usr/bin/env python3
"""`gilsim run --html FILE` in a real browser: Debian's chromium, headless.

The page of the convoy example is written, checked to fetch nothing (no address but the SVG
namespace, no external script, style or font), then loaded by `chromium --headless --dump-dom`
at `#selftest` (the page's own script then hovers the first segment, as a pointer would): the
script ran to its end with no error (body data-ready="yes", no console error on stderr), the
timeline has the rows worked out below, every segment has its tooltip, and the hovered one's
text is shown. A screenshot is taken and must be a PNG.

Usage: html_browser_test.py GILSIM SOURCE_DIR. Without chromium it is skipped (exit 77) naming
the package, unless GILSIM_CI is set, where it fails.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

TIMEOUT = 120  # seconds for each browser run


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def find_chromium():
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


def browser(chromium, profile, *args):
    cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--disable-extensions", "--disable-background-networking", "--disable-dev-shm-usage",
           "--enable-logging=stderr", "--v=0", "--user-data-dir=" + profile, *args]
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        fail("chromium did not finish within %d s: %s" % (TIMEOUT, " ".join(args)))


def check_self_contained(page):
    addresses = set(re.findall(r"(?:https?|ftp)://[^\s\"'<>)]+", page))
    addresses.discard("http://www.w3.org/2000/svg")  # the SVG namespace, never fetched
    if addresses:
        fail("the page names addresses: %s" % sorted(addresses))
    for pattern in (r"<script[^>]+src=", r"<link\b", r"@import", r"url\(", r"<img\b",
                    r"<iframe\b"):
        if re.search(pattern, page):
            fail("the page loads something from outside: %s" % pattern)


def main():
    gilsim, source = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    with tempfile.TemporaryDirectory(prefix="gilsim-html-") as tmp:
        page_path = os.path.join(tmp, "convoy.html")
        scenario = os.path.join(source, "scenarios", "examples", "gil_convoy.yaml")
        run = subprocess.run([gilsim, "run", scenario, "--set",
                              "processes.0.threads.1.program.0.repeat=8", "--html", page_path],
                             capture_output=True, text=True, timeout=TIMEOUT)
        if run.returncode != 0:
            fail("gilsim run --html exited %d: %s" % (run.returncode, run.stderr))
        page = open(page_path, encoding="utf-8").read()
        check_self_contained(page)
        for table in ("summary", "threads", "cores", "gil", "locks", "latency", "scenario"):
            if 'id="%s"' % table not in page:
                fail("no element with id %s in the page" % table)

        chromium = find_chromium()
        if chromium is None:
            if os.environ.get("GILSIM_CI"):
                fail("chromium is not installed (Debian package chromium), and GILSIM_CI is set")
            print("skipped: chromium is not installed (Debian package chromium; "
                  "scripts/install-deps installs it)")
            sys.exit(77)

        profile = os.path.join(tmp, "profile")
        url = "file://" + page_path + "#selftest"
        out = browser(chromium, profile, "--virtual-time-budget=5000", "--dump-dom", url)
        if out.returncode != 0:
            fail("chromium --dump-dom exited %d: %s" % (out.returncode, out.stderr[-2000:]))
        dom = out.stdout
        console = [l for l in out.stderr.splitlines()
                   if "CONSOLE" in l and re.search(r"Uncaught|Error|error", l)]
        if console:
            fail("console errors: %s" % console)
        body = re.search(r"<body([^>]*)>", dom)
        if not body:
            fail("no body in the DOM chromium dumped: %s" % dom[:500])
        attrs = dict(re.findall(r'data-([a-z]+)="([^"]*)"', body.group(1)))
        if attrs.get("ready") != "yes":
            fail("the page's script did not run to its end (body %s)" % body.group(1))
        # The convoy example on 2 cores: core 0, core 1, the process app's header, its GIL lane,
        # its threads crunch and io; no lock is held, so no lock lane.
        rows = re.findall(r'<g class="row" data-row="([^"]*)"', dom)
        if rows != ["core 0", "core 1", "app", "GIL", "crunch", "io"]:
            fail("the timeline's rows are %s" % rows)
        if attrs.get("rows") != "6":
            fail("the script counted %s rows" % attrs.get("rows"))
        # Every segment of the timeline has its tooltip.
        timeline = dom[dom.index('<div id="timeline">'):dom.index('<div id="tip"')]
        segments = re.findall(r"<rect [^>]*>(<title>[^<]+</title>)?", timeline)
        titled = [s for s in segments if s]
        if len(titled) < 10:
            fail("only %d segments have a tooltip" % len(titled))
        # The hovered segment (core 0's first) shows its tooltip: not hidden, its text.
        tip = re.search(r'<div id="tip" role="tooltip"([^>]*)>([^<]*)</div>', dom)
        if not tip or "hidden" in tip.group(1) or not tip.group(2).startswith("core 0: app/"):
            fail("the hovered segment shows no tooltip: %s" % (tip.group(0) if tip else None))

        shot = os.path.join(tmp, "convoy.png")
        out = browser(chromium, profile, "--window-size=1300,1400", "--screenshot=" + shot,
                      "file://" + page_path)
        if out.returncode != 0 or not os.path.exists(shot):
            fail("chromium --screenshot failed: %s" % out.stderr[-2000:])
        with open(shot, "rb") as f:
            if f.read(8) != b"\x89PNG\r\n\x1a\n":
                fail("the screenshot is not a PNG")
    print("ok: the page loads in chromium with no error, 6 rows, %d tooltips" % len(titled))


if __name__ == "__main__":
    main()
