#!/usr/bin/env python3
"""Regenerates results/lessons-diagrams.md, results/diagrams/*.svg and results/diagrams/*.html:
the lessons' diagrams (shared/seeds/000, 001, 004) drawn from simulated runs, with the numbers
they only draw, and each run's page (`gilsim run --html`).

    scripts/lesson-diagrams.py [--gilsim build/gilsim] [--png]

--png also renders every timeline to PNG with rsvg-convert (Debian: librsvg2-bin), to look at.
"""
import argparse
import json
import pathlib
import subprocess

ROOT = pathlib.Path(__file__).resolve().parent.parent
LESSONS = ROOT / "scenarios/lessons"

# (title, what the lesson draws, scenario, --set overrides, short name)
DIAGRAMS = [
    ("A single processor switching between three tasks", "seeds/000, 1.1",
     "diagrams/processor_three_tasks.yaml", [], "processor_three_tasks"),
    ("The restaurant kitchen, synchronous", "seeds/000, 1.2.2",
     "diagrams/kitchen_synchronous.yaml", [], "kitchen_synchronous"),
    ("The restaurant kitchen, concurrent", "seeds/000, 1.2.1",
     "diagrams/kitchen_concurrent.yaml", [], "kitchen_concurrent"),
    ("The bank with one clerk", "seeds/000, 1.3.2", "diagrams/bank_one_clerk.yaml", [],
     "bank_one_clerk"),
    ("The bank with three clerks", "seeds/000, 1.3.1", "diagrams/bank_three_clerks.yaml", [],
     "bank_three_clerks"),
    ("Image processing: fan out, combine", "seeds/000, 2.2", "diagrams/image_fanout.yaml", [],
     "image_fanout"),
    ("Six primes with a 50 ms wait, synchronous", "seeds/001 and 004, synchronous",
     "primes_wait.yaml", ["workload.items.range=[1,6]", "workload.model=sync"], "primes_sync"),
    ("Six primes with a 50 ms wait, asyncio with 3 tasks", "seeds/001 and 004, asyncio",
     "primes_wait.yaml",
     ["workload.items.range=[1,6]", "workload.model=asyncio", "workload.workers=3"],
     "primes_asyncio"),
    ("Six primes with a 50 ms wait, 3 threads", "seeds/001 and 004, threads",
     "primes_wait.yaml",
     ["workload.items.range=[1,6]", "workload.model=threads", "workload.workers=3"],
     "primes_threads"),
    ("Six primes with a 50 ms wait, 3 processes", "seeds/001 and 004, processes",
     "primes_wait.yaml",
     ["workload.items.range=[1,6]", "workload.model=processes", "workload.workers=3",
      "workload.start_method=spawn"],
     "primes_processes"),
]


def gilsim(binary, scenario, sets, *extra):
    # From the checkout's root, so that a page names its scenario as scenarios/lessons/...
    cmd = [str(pathlib.Path(binary).resolve()), "run", str(scenario.relative_to(ROOT))]
    cmd += [a for s in sets for a in ("--set", s)] + list(extra)
    return subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT).stdout


def seconds(s):
    return f"{s * 1e3:.3f} ms" if s < 1 else f"{s:.3f} s"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gilsim", default=str(ROOT / "build/gilsim"))
    ap.add_argument("--png", action="store_true", help="render the timelines to PNG too")
    args = ap.parse_args()
    out_dir = ROOT / "results/diagrams"
    out_dir.mkdir(parents=True, exist_ok=True)
    page = ["# The lessons' diagrams, from simulated runs", "",
            "Regenerate with `scripts/lesson-diagrams.py` (after building). Each section is one "
            "scenario under `scenarios/lessons/`: its comment gives the figures assumed where the "
            "lesson only draws, and the expected result worked out by hand. The numbers below are "
            "gilsim's; the timelines are `--timeline` output and the sequence diagrams "
            "`--diagram mermaid` output of the same runs.", ""]
    for title, source, scenario, sets, name in DIAGRAMS:
        path = LESSONS / scenario
        report = json.loads(gilsim(args.gilsim, path, sets, "--json"))
        svg = out_dir / f"{name}.svg"
        gilsim(args.gilsim, path, sets, "--timeline", str(svg), "--html",
               str(svg.with_suffix(".html")))
        if args.png:
            subprocess.run(["rsvg-convert", "-o", str(svg.with_suffix(".png")), str(svg)],
                           check=True)
        mermaid = gilsim(args.gilsim, path, sets, "--diagram", "mermaid")
        sequence = mermaid.split("\n\n")[0]
        page += [f"## {title}", "", f"The lesson's picture: {source}. Scenario: "
                 f"`scenarios/lessons/{scenario}`" + (f" with `--set {' --set '.join(sets)}`"
                                                      if sets else "") + ".", "",
                 f"Total time: **{seconds(report['makespan_s'])}**.", "",
                 "| thread | ends at | CPU | waited for a core | waited for a lock | "
                 "waited for the GIL | I/O + sleep |",
                 "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for t in report["threads"]:
            page.append(f"| {t['process']}/{t['name']} | {seconds(t['end_s'])} | "
                        f"{seconds(t['cpu_s'])} | {seconds(t['ready_wait_s'])} | "
                        f"{seconds(t['lock_wait_s'])} | {seconds(t['gil_wait_s'])} | "
                        f"{seconds(t['io_s'] + t['sleep_s'])} |")
        page += ["", f"![{title}](diagrams/{name}.svg)", "",
                 f"The run's page, with its tables and the scenario: "
                 f"[diagrams/{name}.html](diagrams/{name}.html).", "", sequence, ""]
    (ROOT / "results/lessons-diagrams.md").write_text("\n".join(page))
    print("wrote results/lessons-diagrams.md and results/diagrams/*.svg, *.html")


if __name__ == "__main__":
    main()
