#!/usr/bin/env python3
"""Time whole builds of the real site and of synthetic sites of N sources; measure page weight.

    python bench/run.py [--sizes 5 50 500] [--runs 5] [--profile N]

Each case is built once to warm up, then `--runs` times, each as a fresh `python build.py` process
(interpreter start included) writing to tmpfs (/dev/shm) so the disk's cost of deleting and creating many
files does not blur the figures. Reported per case: median wall time (min–max), pages per second, median CPU
time (user + system) and peak resident memory of the build process (from wait4's rusage: no dependency),
and the CPU time of each stage in a separate fresh process. The report starts with a speed check of the
machine (interpreter start, a fixed Python loop), as a shared machine's speed varies from minute to minute.
Then the gzip -6 weight of every HTML page and stylesheet of the real site, against the budget of 30 KB per
page and 15 KB for the stylesheet. Synthetic content is made by bench/generate.py into bench/out/N
(git-ignored), again only when the generator changed.

`--profile N` instead profiles one in-process build of size N (`site` for the real one) with pyinstrument when
installed (`pip install -e '.[bench]'`), cProfile otherwise, and writes bench/out/profile-N.txt.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
SOURCES = ROOT.parent / "shared" / "sources"
PAGE_BUDGET = 30 * 1024
CSS_BUDGET = 15 * 1024


def ensure_generated(n: int) -> Path:
    """Generate bench/out/N unless it is there from the current generator; return its folder."""
    folder = OUT / str(n)
    stamp = hashlib.sha256((ROOT / "bench" / "generate.py").read_bytes()
                           + (ROOT / "content" / "themes.yaml").read_bytes()
                           + b"".join(p.read_bytes() for p in sorted((ROOT / "content" / "pages").glob("*.md")))).hexdigest()
    stamp_file = folder / "generator.sha256"
    if not stamp_file.is_file() or stamp_file.read_text().strip() != stamp:
        subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), str(n), "--out", str(folder)],
                       check=True, stdout=subprocess.DEVNULL)
        stamp_file.write_text(stamp + "\n")
    return folder


def build_once(content: Path, sources: Path | None, out: Path) -> dict:
    """Run one build process; return its wall and CPU seconds and peak memory."""
    cmd = [sys.executable, str(ROOT / "build.py"), "--content", str(content), "--out", str(out)]
    if sources is not None:
        cmd += ["--sources", str(sources)]
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        process = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        sampler = TreeMemory(process.pid)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        total = sampler.stop()
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            log.seek(0)
            sys.exit(f"build failed ({process.returncode}): {' '.join(cmd)}\n{log.read().decode()[-3000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mib": usage.ru_maxrss / 1024,
            "total_mib": total}


class TreeMemory:
    """Sample the memory of a process and its children (the build forks one to render English) every 10 ms:
    the largest sum of their proportional set sizes (PSS: a page shared by both processes counts half in each),
    so the total is what the build costs the machine. wait4's peak RSS is that of the largest single process."""

    def __init__(self, pid: int):
        self.pid = pid
        self.peak_kib = 0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        while not self.done.wait(0.01):
            self.peak_kib = max(self.peak_kib, sum(self.pss_kib(p) for p in self.tree(self.pid)))

    def tree(self, pid: int) -> list[int]:
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return []
        return [pid] + [p for child in children for p in self.tree(int(child))]

    @staticmethod
    def pss_kib(pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    def stop(self) -> float | None:
        """Stop sampling; return the peak in MiB, or None where /proc cannot tell (not Linux)."""
        self.done.set()
        self.thread.join()
        return self.peak_kib / 1024 if self.peak_kib else None


def bench_case(name: str, content: Path, sources: Path | None, out: Path, runs: int) -> dict:
    """Warm up, then time `runs` builds of one content folder."""
    build_once(content, sources, out)
    html = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    files = sum(1 for p in out.rglob("*") if p.is_file())
    samples = [build_once(content, sources, out) for _ in range(runs)]
    walls = [s["wall"] for s in samples]
    wall = statistics.median(walls)
    result = {"case": name, "pages": len(html), "files": files, "runs": runs, "wall": wall,
              "wall_min": min(walls), "wall_max": max(walls), "pages_per_s": len(html) / wall,
              "cpu": statistics.median(s["cpu"] for s in samples),
              "rss_mib": max(s["rss_mib"] for s in samples),
              "total_mib": max((s["total_mib"] for s in samples if s["total_mib"]), default=None),
              "verified": sources is not None}
    print(f"{name:>5}: {len(html):5d} pages  wall {wall:7.3f} s ({min(walls):.3f}–{max(walls):.3f})  "
          f"{result['pages_per_s']:7.0f} pages/s  cpu {result['cpu']:7.3f} s  peak {result['rss_mib']:6.1f} MiB "
          f"(all processes {result['total_mib'] or 0:6.1f} MiB)",
          flush=True)
    return result


def page_weight(site: Path) -> list[tuple[str, int, int]]:
    """Return (path, bytes, gzip -6 bytes) of every HTML page, stylesheet and script, heaviest first."""
    rows = []
    for path in sorted(site.rglob("*")):
        if path.suffix in (".html", ".css", ".js"):
            data = path.read_bytes()
            rows.append((path.relative_to(site).as_posix(), len(data), len(gzip.compress(data, 6, mtime=0))))
    return sorted(rows, key=lambda r: -r[2])


def machine() -> dict:
    """Describe the machine the figures come from."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    memory = next((int(line.split()[1]) // 1024 // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0) if Path("/proc/meminfo").exists() else 0
    versions = {}
    for module in ("jinja2", "markdown", "yaml", "babel"):
        try:
            versions[module] = __import__(module).__version__
        except (ImportError, AttributeError):
            versions[module] = "?"
    import yaml

    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": memory, "python": platform.python_version(),
            "os": platform.platform(), "libyaml": bool(getattr(yaml, "__with_libyaml__", False)),
            "load_before": os.getloadavg(), **versions}


def calibrate() -> dict:
    """Time interpreter start and a fixed pure-Python loop (best of 5): how fast the machine is right now."""
    loop = "import time\nt = time.process_time()\ns = 0\nfor i in range(5_000_000):\n    s += i\nprint(time.process_time() - t)"
    starts, loops = [], []
    for _ in range(5):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        starts.append(time.perf_counter() - started)
        loops.append(float(subprocess.run([sys.executable, "-c", loop], capture_output=True, text=True,
                                          check=True).stdout))
    return {"python_start": min(starts), "loop_5m": min(loops)}


def report(results: list[dict], weights: list[tuple[str, int, int]], info: dict) -> str:
    """Return the results as Markdown for BENCHMARKS.md."""
    lines = [f"Machine: {info['cpu']}, {info['cores']} cores, {info['memory_gib']} GiB; Python {info['python']}; "
             f"Jinja2 {info['jinja2']}, Markdown {info['markdown']}, PyYAML {info['yaml']} "
             f"(libyaml {'yes' if info['libyaml'] else 'no'}), Babel {info['babel']}; "
             f"load average before the run {info['load_before'][0]:.2f}; speed check: `python -c pass` "
             f"{1000 * info['python_start']:.0f} ms, a 5-million-step Python loop {info['loop_5m']:.2f} s CPU "
             "(best of 5; compare these two before comparing runs).", "",
             "| case | HTML pages | median wall (min–max) | pages/s | median CPU | peak RSS, largest process | peak, all processes (PSS) |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        name = "real site" if r["case"] == "site" else f"N = {r['case']}"
        lines.append(f"| {name} | {r['pages']} | {r['wall']:.3f} s ({r['wall_min']:.3f}–{r['wall_max']:.3f}) | "
                     f"{r['pages_per_s']:.0f} | {r['cpu']:.3f} s | {r['rss_mib']:.1f} MiB | "
                     + (f"{r['total_mib']:.1f} MiB |" if r.get("total_mib") else "— |"))
    names = [name for name in ("imports", "load and validate", "link", "render and write")
             if any(name in r.get("stages", {}) for r in results)]
    if names:
        lines += ["", "CPU seconds by stage, in a fresh process (best of 3; of 1 at N ≥ 500):", "",
                  "| case | " + " | ".join(names) + " | total |", "|---|" + "---:|" * (len(names) + 1)]
        for r in results:
            st = r.get("stages", {})
            lines.append(f"| {'real site' if r['case'] == 'site' else 'N = ' + r['case']} | "
                         + " | ".join(f"{st.get(n, 0):.3f}" for n in names) + f" | {sum(st.values()):.3f} |")
    synthetic = [r for r in results if r["case"] != "site"]
    if len(synthetic) >= 2:
        lines += ["", "Time per source between sizes (linear growth means a constant figure): " + ", ".join(
            f"N {a['case']}→{b['case']}: {1000 * (b['wall'] - a['wall']) / (int(b['case']) - int(a['case'])):.1f} ms"
            for a, b in zip(synthetic, synthetic[1:]))]
    if weights:
        pages = [w for w in weights if w[0].endswith(".html")]
        over = [w for w in pages if w[2] > PAGE_BUDGET]
        css = [w for w in weights if w[0].endswith(".css")]
        js = [w for w in weights if w[0].endswith(".js")]
        lines += ["", f"Page weight of the real site (gzip -6): {len(pages)} HTML pages, heaviest "
                  f"{pages[0][0]} {pages[0][2] / 1024:.1f} KB, median {statistics.median(w[2] for w in pages) / 1024:.1f} KB; "
                  + ", ".join(f"{w[0]} {w[2] / 1024:.1f} KB" for w in css + js) + ".",
                  "Over the 30 KB page budget: " + (", ".join(f"{w[0]} {w[2] / 1024:.1f} KB (+{(w[2] - PAGE_BUDGET) / 1024:.1f} KB)"
                                                      for w in over) or "none") + "; stylesheets over 15 KB: "
                  + (", ".join(w[0] for w in css if w[2] > CSS_BUDGET) or "none") + ".", "",
                  "| page | bytes | gzip -6 |", "|---|---:|---:|"]
        lines += [f"| {w[0]} | {w[1]:,} | {w[2]:,} |" for w in weights[:12]]
    return "\n".join(lines) + "\n"


STAGES = """
import gc, json, sys, time
gc.disable()  # as pipeline.build does around load, validate, link and render
clock = time.process_time
started = clock()
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from factsheet.load import load_content
from factsheet.validate import validate
from factsheet.link import link
from factsheet.load import load_sources
from factsheet.render import render_site
from factsheet.write import write_site
root, content = Path(sys.argv[1]), Path(sys.argv[2])
sources = Path(sys.argv[3]) if sys.argv[3] != "-" else None
times = {"imports": clock() - started}
mark = clock()
def lap(name):
    global mark
    now = clock()
    times[name] = now - mark
    mark = now
site = validate(load_content(content)); lap("load and validate")
linked = link(site, load_sources(sources) if sources else None); lap("link")
write_site(render_site(linked, root / "templates", root / "locale", None), Path(sys.argv[4])); lap("render and write")
print(json.dumps(times))
"""


def stages(case: str, content: Path, sources: Path | None, out: Path, runs: int = 3) -> dict[str, float]:
    """Return the CPU seconds of each stage of a build in a fresh process (imports included), best of `runs`."""
    best: dict[str, float] = {}
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", STAGES, str(ROOT), str(content), str(sources or "-"), str(out)],
                              capture_output=True, text=True, check=True)
        for name, seconds in json.loads(done.stdout.strip().splitlines()[-1]).items():
            best[name] = min(best.get(name, seconds), seconds)
    print(f"{case:>5}: CPU by stage (best of {runs}): " + ", ".join(f"{k} {v:.3f} s" for k, v in best.items()),
          flush=True)
    return best


def profile(case: str) -> None:
    """Profile one in-process build and write the profile to bench/out/profile-CASE.txt."""
    sys.path.insert(0, str(ROOT))
    from factsheet import pipeline
    from factsheet.pipeline import build

    pipeline._can_fork = lambda: False  # one process, all of it profiled: a forked one would not be seen

    if case == "site":
        content, sources = ROOT / "content", SOURCES if SOURCES.is_dir() else None
    else:
        folder = ensure_generated(int(case))
        content, sources = folder / "content", folder / "sources"
    out = Path(tempfile.mkdtemp(prefix="factsheet-profile-", dir="/dev/shm" if os.access("/dev/shm", os.W_OK) else None))
    target = OUT / f"profile-{case}.txt"

    def run() -> None:
        build(content, ROOT / "templates", ROOT / "locale", sources, None, out_dir=out / "site")

    try:
        from pyinstrument import Profiler
    except ImportError:
        import cProfile
        import io
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(run)
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(60)
        target.write_text(text.getvalue())
    else:
        profiler = Profiler(interval=0.001)
        profiler.start()
        run()
        profiler.stop()
        target.write_text(profiler.output_text(unicode=True, color=False, show_all=False))
    shutil.rmtree(out, ignore_errors=True)
    print(f"Profile of a build of {case} → {target.relative_to(ROOT)}")


def main() -> int:
    """Parse arguments, run the benchmark, print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[5, 50, 500], help="numbers of sources")
    parser.add_argument("--runs", type=int, default=5, help="timed builds per case (after one warm-up)")
    parser.add_argument("--no-site", action="store_true", help="skip the real site")
    parser.add_argument("--sources", type=Path, default=SOURCES,
                        help="article texts for the real site (default ../shared/sources; skipped if missing)")
    parser.add_argument("--profile", metavar="N", help="profile one build of size N (or 'site') instead")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    if args.profile:
        profile(args.profile)
        return 0
    tmp_root = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
    work = Path(tempfile.mkdtemp(prefix="factsheet-bench-", dir=tmp_root))
    if tmp_root is None:
        print("note: /dev/shm is not writable; output goes to the temporary folder, figures include disk time")
    info = machine() | calibrate()
    results, weights = [], []
    try:
        if not args.no_site:
            sources = args.sources if args.sources.is_dir() else None
            if sources is None:
                print(f"note: {args.sources} not found; the real site is built without verifying quotations")
            results.append(bench_case("site", ROOT / "content", sources, work / "site", args.runs))
            weights = page_weight(work / "site")
            results[-1]["stages"] = stages("site", ROOT / "content", sources, work / "site")
        for n in args.sizes:
            folder = ensure_generated(n)
            results.append(bench_case(str(n), folder / "content", folder / "sources", work / str(n), args.runs))
            results[-1]["stages"] = stages(str(n), folder / "content", folder / "sources", work / str(n),
                                           runs=3 if n < 500 else 1)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = report(results, weights, info)
    (OUT / "results.json").write_text(json.dumps({"machine": info, "results": results,
                                                  "weights": weights}, indent=1) + "\n")
    (OUT / "results.md").write_text(text)
    print()
    print(text, end="")
    print(f"(also in {(OUT / 'results.md').relative_to(ROOT)} and results.json)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
