"""Study (d) of results/whatif.md: the services of (a) under open arrivals, latency against the
offered load, one curve per core count and execution model. Imported by whatif-report.py; every
figure of the reading comes from the sweeps, every capacity it compares them with from the
services' costs, worked out by hand below.
"""
import csv

RATES = [50, 70, 100, 140, 200, 280, 400, 560, 800, 1100, 1600, 2200, 3200, 4500]
OPEN_CORES = [1, 4, 16]
MODELS = ["threads", "processes"]
GET = 5e-6    # threads: a get from the pool's queue, Python under the GIL (queue_get)
TASK = 50e-6  # processes: a task's pickling and pipe round trip in the child (task_overhead)


def capacity(service, model, cores):
    """Requests per second the service can sustain, the least of its limits: the cores (CPU
    per request), the workers (requests in flight / time each takes) and, for threads, the
    GIL (Python per request). Returns (requests/s, the limit's name)."""
    # Python, native CPU and blocking time per request, and the pool's size.
    py, native, io, workers = {"service_cpu": (4e-3, 0, 0, 16),
                               "service_io": (0.5e-3, 0, 20e-3, 64),
                               "service_mixed": (1e-3, 3e-3, 5e-3, 16)}[service]
    extra = GET if model == "threads" else TASK
    limits = {"cores": min(cores, workers) / (py + native + extra),
              "workers": workers / (py + native + io + extra)}
    if model == "threads":
        limits["GIL"] = 1 / (py + extra)
    low = min(limits.values())
    return low, " and ".join(n for n, v in limits.items() if v <= 1.005 * low)


def md1(rate, s):
    """The mean response of M/D/1 (Pollaczek-Khinchine): a FIFO server of constant s."""
    rho = rate * s
    return s + rate * s * s / (2 * (1 - rho))


def ps(rate, s):
    """The mean response of M/G/1-PS: a server shared by the requests in it."""
    return s / (1 - rate * s)


def load(work, name):
    """{(model, cores, rate): row} of a sweep's ok rows."""
    out = {}
    with open(work / name / "results.csv", newline="") as f:
        for r in csv.DictReader(f):
            if r["status"] == "ok":
                key = (r["workload.model"], int(r["machine.cores"]),
                       float(r["workload.arrivals.poisson"]))
                out[key] = r
    return out


def after(rate):
    """The next rate swept after `rate`."""
    return RATES[RATES.index(rate) + 1]


def ms(v):
    return f"{float(v) * 1e3:.3g}"


def curve(rows, model, cores):
    """The curve's figures: p99 and mean by rate, its best throughput and its knee (the last
    rate whose p99 is within 3x of the p99 at the lowest rate)."""
    p99 = {x: float(rows[(model, cores, x)]["latency_p99_s"]) for x in RATES}
    mean = {x: float(rows[(model, cores, x)]["latency_mean_s"]) for x in RATES}
    best = max(float(rows[(model, cores, x)]["throughput_per_s"]) for x in RATES)
    knee = max(x for x in RATES if p99[x] <= 3 * p99[RATES[0]])
    return p99, mean, best, knee


def study(work, service, table):
    rows = load(work, f"{service}_open")
    cols = [(m, c) for m in MODELS for c in OPEN_CORES]
    body = [[f"{x:g}"] + [f"{ms(rows[(m, c, x)]['latency_p99_s'])} "
                          f"({ms(rows[(m, c, x)]['latency_mean_s'])})" for m, c in cols]
            for x in RATES]
    t = table(["rate (/s)"] + [f"{m}, {c} core{'s' if c > 1 else ''}" for m, c in cols], body)
    figures = {}
    lines = []
    for m, c in cols:
        p99, mean, best, knee = curve(rows, m, c)
        cap, limit = capacity(service, m, c)
        figures[(m, c)] = (p99, mean, best, knee, cap)
        nxt = next((x for x in RATES if x > knee), None)
        lines.append(
            f"| {m}, {c} | {cap:.0f}/s ({limit}) | {best:.0f}/s ({100 * best / cap:.0f}%) | "
            f"{knee:g}/s, p99 {ms(p99[knee])} ms | "
            + (f"{nxt:g}/s, p99 {ms(p99[nxt])} ms |" if nxt else "none swept |"))
    sat = table(["curve", "capacity by hand (limit)", "best measured throughput",
                 "last rate within 3x of the lowest p99", "next rate"], [])
    sat += "\n" + "\n".join(lines)
    return t, sat, figures


def plots(service):
    return (f"![{service}_open p99](whatif/{service}_open-p99.png)\n\n"
            f"![{service}_open mean](whatif/{service}_open-mean.png)\n")


def heading(out, work, table, service, title):
    """Appends a service's title, plots and tables to `out`; returns its threads' and its
    processes' curves, by core count."""
    t, sat, figures = study(work, service, table)
    out.append(f"### {title}\n")
    out.append(plots(service))
    out.append("p99 (mean) latency in ms, by offered rate:\n\n" + t + "\n")
    out.append("Where each curve saturates:\n\n" + sat + "\n")
    return ([figures[("threads", c)] for c in OPEN_CORES],
            [figures[("processes", c)] for c in OPEN_CORES])


def section(work, table):
    out = [SECTION_D]
    th, pr = heading(out, work, table, "service_cpu",
                     "CPU-bound: 4 ms of Python per request, 16 workers")
    out.append(
        f"The three threads curves lie almost on one another: under the GIL the pool is one "
        f"server of 4 ms, about {th[0][4]:.0f} requests/s whatever the cores, and they all turn "
        f"up between {th[0][3]:g} and {after(th[0][3]):g}/s (best throughput {th[0][2]:.0f}, "
        f"{th[1][2]:.0f} and {th[2][2]:.0f}/s on 1, 4 and 16 cores). A request is shorter than "
        f"the 5 ms switch interval, so a thread that has the GIL mostly runs its request to the "
        f"end (a waiter forces a hand-off only after 5 ms): the GIL is close to a FIFO server "
        f"of 4.005 ms (with the get), and M/D/1 gives a mean of "
        f"{md1(50, 4.005e-3) * 1e3:.2f} ms at 50/s and {md1(200, 4.005e-3) * 1e3:.1f} ms at "
        f"200/s, against {ms(th[0][1][50])} and {ms(th[0][1][200])} ms measured. Processes on "
        f"one core have the same capacity ({pr[0][4]:.0f}/s by hand, {pr[0][2]:.0f}/s measured) "
        f"and a worse curve: their 16 interpreters share the core in cfs slices, as processor "
        f"sharing does, for a mean of S / (1 - rho) = {ps(50, 4.05e-3) * 1e3:.2f} ms at 50/s "
        f"(measured {ms(pr[0][1][50])} ms, p99 {ms(pr[0][0][50])} against the threads' "
        f"{ms(th[0][0][50])} ms). On 4 and 16 cores a request has a core to itself: "
        f"{ms(pr[1][1][50])} ms flat (its 4 ms, the task's 50 us and a 30 us wake-up) until "
        f"the cores run out, min(16, cores) / 4.05 ms: the best throughput is {pr[1][2]:.0f} "
        f"and {pr[2][2]:.0f}/s against {pr[1][4]:.0f} and {pr[2][4]:.0f} by hand, the p99 "
        f"turning up past {pr[1][3]:g} and {pr[2][3]:g}/s. What 16 cores buy this service: 16x "
        f"the rate with processes, nothing with threads. Past its capacity a curve climbs as "
        f"far as the run lets it: the queue grows for as long as the 4000 requests come, so "
        f"those latencies measure the run's length, not the service (seconds for the curves "
        f"that saturate early; {ms(pr[2][0][4500])} ms at p99 for processes on 16 cores at "
        f"4500/s, {100 * (4500 / pr[2][4] - 1):.0f}% past their capacity, where the requests "
        f"come for only {4000 / 4500:.2f} s).\n")

    th, pr = heading(out, work, table, "service_io",
                     "I/O-bound: 0.5 ms of Python around a 20 ms call, 64 workers")
    over = 4000 / 3200 * (3200 - pr[2][4])
    out.append(
        f"At light load every curve sits at the request's own 20.5 ms ({ms(th[0][1][50])} ms "
        f"mean, {ms(th[0][0][50])} ms p99 for threads on one core at 50/s). Threads are held by "
        f"the GIL's 0.5 ms of Python per request (and on one core by the core, the same "
        f"figure), {th[0][4]:.0f}/s by hand: their best throughput is {th[0][2]:.0f}, "
        f"{th[1][2]:.0f} and {th[2][2]:.0f}/s on 1, 4 and 16 cores, lower with more cores (a "
        f"waiter for the GIL pays the 30 us wake-up at every hand-off, as in (a)), and their "
        f"p99 turns up past {th[0][3]:g}/s. Processes on one core are held by the core "
        f"({pr[0][4]:.0f}/s by hand with the task's 50 us, {pr[0][2]:.0f}/s measured), and "
        f"their p99 leaves 21 ms much sooner, {ms(pr[0][0][400])} ms at 400/s, when the core is "
        f"only {400 * 0.55e-3:.0%} busy: 64 interpreters share it in cfs slices, so a "
        f"request's CPU stretches whenever others run, while under the GIL a thread's 0.5 ms "
        f"runs to its end. On 4 and 16 cores the 64 workers are the limit, 64 / 20.55 ms = "
        f"{pr[1][4]:.0f}/s ({pr[1][2]:.0f} and {pr[2][2]:.0f}/s measured): the pool's size, "
        f"not the machine, and 16 cores buy nothing over 4; a larger pool would. At 3200/s, "
        f"just past that capacity, the p99 is still {ms(pr[2][0][3200])} ms on 16 cores: the "
        f"4000 requests last 1.25 s, in which the backlog grows by only about {over:.0f} "
        f"requests.\n")

    th, pr = heading(out, work, table, "service_mixed",
                     "Mixed: 1 ms of Python, 3 ms of GIL-free C, a 5 ms call, 16 workers")
    out.append(
        f"On one core both models are held by the core's 4 ms of CPU per request (by hand "
        f"{th[0][4]:.0f}/s for threads, {pr[0][4]:.0f}/s for processes; measured "
        f"{th[0][2]:.0f} and {pr[0][2]:.0f}/s), and even at 50/s a request takes "
        f"{ms(th[0][1][50])} ms on average, not 9: the requests in service share the core, "
        f"{ps(50, 4.005e-3) * 1e3:.2f} ms of CPU by processor sharing plus the 5 ms call, "
        f"{ps(50, 4.005e-3) * 1e3 + 5:.1f} ms. On 4 cores threads reach {th[1][2]:.0f}/s and "
        f"on 16 {th[2][2]:.0f}/s, held by the GIL's 1 ms of Python ({th[2][4]:.0f}/s by "
        f"hand; on 4 cores the cores' 4 ms per request allow about as much): the 3 ms of C run "
        f"in parallel, the Python does not, so 16 cores buy nothing over 4. Processes on 4 cores have about the threads' capacity ({pr[1][4]:.0f}/s by "
        f"hand, {pr[1][2]:.0f}/s measured) but a p99 that turns up sooner "
        f"({ms(pr[1][0][560])} against {ms(th[1][0][560])} ms at 560/s), as 16 processes share "
        f"the 4 cores' slices; on 16 cores they go on to {pr[2][2]:.0f}/s, where the 16 workers "
        f"of 9.05 ms each ({pr[2][4]:.0f}/s by hand) are the limit. Below saturation, with a "
        f"core free, a request takes its 9 ms ({ms(pr[2][1][50])} ms mean for processes on 16 "
        f"cores).\n")
    return "\n".join(out)


SECTION_D = """## (d) The services under open arrivals: latency against load

The three services of (a), now fed by open arrivals instead of a backlog: 4000 requests arrive
as a Poisson stream at 50 to 4500 per second (`workload.arrivals: {poisson: RATE, count:
4000}`), served by a pool (`distribution: pool`) of threads in one CPython process
(ThreadPoolExecutor) or of processes (ProcessPoolExecutor), on 1, 4 and 16 cores. Each plot has
one curve per core count and model: the p99 and the mean latency (arrival to done) against the
offered rate, both axes logarithmic. Scenarios:
`scenarios/whatif/service_{cpu,io,mixed}_open.yaml`; each comment works out the capacities.
The tables below put each curve's best measured throughput (the rate it serves once
overloaded) beside its capacity by hand, and the last rate at which its p99 stays within 3x of
its p99 at 50/s.

    gilsim sweep scenarios/whatif/service_cpu_open.yaml \\
        --grid workload.arrivals.poisson=50,70,100,140,200,280,400,560,800,1100,1600,2200,3200,4500 \\
        --grid machine.cores=1,4,16 --grid workload.model=threads,processes --out service_cpu_open
    gilsim plot service_cpu_open/results.csv --x workload.arrivals.poisson --y latency_p99_s \\
        --series workload.model --series machine.cores --logx --logy --no-amdahl \\
        --out service_cpu_open-p99.png
"""
