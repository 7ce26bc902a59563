"""Shared pieces of the benchmark harness: paths, measuring one stage in its own subprocess,
machine facts, and writing results.

Every measured stage runs in a fresh child process. Its figures come from the kernel when the
child is reaped (`os.wait4`): wall time, user + system CPU seconds and `ru_maxrss` — the peak
resident set of the child or of any of its own (waited-for) children, whichever is largest; this
is what `getrusage(RUSAGE_CHILDREN)` would report for that child alone, without the previous
stages' peaks mixed in. A sampler thread also sums the RSS of the child's whole process tree
every 0.2 s (`tree_peak_mb`), for stages that run a second process at the same time (the CLI
runs dbt as a subprocess). With `memory_cap_mb` the sampler also guards the machine: the child
runs in its own session, and once its tree's summed RSS passes the cap the whole tree is killed
(SIGKILL), so a run that would not fit stops there and says so (`killed_at_cap`). The sampler
keeps an RSS timeline (one point a second) and the processes of the tree at the peak.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "benchmarks" / "out"
PYTHON = sys.executable
DBT = str(Path(sys.executable).parent / "dbt")
BENCHMARK_KEY = "outcome-ledger-benchmark-key"  # pseudonym key of every benchmark warehouse

_PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class StageResult:
    name: str
    command: list[str]
    returncode: int
    wall_s: float
    user_s: float
    sys_s: float
    peak_rss_mb: float          # ru_maxrss of the child (largest single process of its tree)
    tree_peak_mb: float         # sampled peak of the summed RSS of the child's process tree
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]
    details: dict = field(default_factory=dict)  # what the stage reported about itself
    memory_cap_mb: float | None = None          # the tree was killed when its summed RSS passed this
    killed_at_cap: float | None = None          # seconds after start when it was killed at the cap
    rss_timeline: list = field(default_factory=list)  # (seconds, tree RSS MB), about one a second
    processes_at_peak: list = field(default_factory=list)  # (RSS MB, command) of the tree at its peak

    @property
    def cpu_s(self) -> float:
        return self.user_s + self.sys_s

    def line(self) -> str:
        return (f"{self.name:<28} wall {self.wall_s:8.1f} s  cpu {self.cpu_s:8.1f} s  "
                f"peak RSS {self.peak_rss_mb:7.0f} MB  tree peak {self.tree_peak_mb:7.0f} MB  "
                f"load {self.load_before[0]:.1f}→{self.load_after[0]:.1f}"
                + (f"  KILLED at the {self.memory_cap_mb:.0f} MB cap after {self.killed_at_cap:.0f} s"
                   if self.killed_at_cap is not None else "")
                + (f"  FAILED (exit {self.returncode})" if self.returncode else ""))


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def _tree_rss(root: int) -> dict[int, int]:
    """RSS in bytes of every process of the tree under `root`."""
    sizes = {}
    for pid in _descendants(root):
        try:
            with open(f"/proc/{pid}/statm", "rb") as handle:
                sizes[pid] = int(handle.read().split()[1]) * _PAGE
        except (OSError, IndexError, ValueError):
            continue
    return sizes


def _command_of(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()[:160]
    except OSError:
        return "?"


class _TreeSampler(threading.Thread):
    def __init__(self, pid: int, interval: float = 0.2, cap_bytes: int | None = None):
        super().__init__(daemon=True)
        self.pid, self.interval, self.cap, self.peak = pid, interval, cap_bytes, 0
        self.started = time.perf_counter()
        self.timeline: list[tuple[float, float]] = []
        self.at_peak: list[tuple[float, str]] = []
        self.killed_at: float | None = None
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            sizes = _tree_rss(self.pid)
            total = sum(sizes.values())
            elapsed = time.perf_counter() - self.started
            if total > self.peak:
                self.peak = total
                self.at_peak = [(round(rss / 2**20), _command_of(pid)) for pid, rss in
                                sorted(sizes.items(), key=lambda kv: -kv[1])]
            if not self.timeline or elapsed - self.timeline[-1][0] >= 1.0:
                self.timeline.append((round(elapsed, 1), round(total / 2**20)))
            if self.cap is not None and total > self.cap and self.killed_at is None:
                self.killed_at = elapsed
                self.timeline.append((round(elapsed, 1), round(total / 2**20)))
                try:
                    os.killpg(self.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            self._halt.wait(self.interval)

    def stop(self) -> int:
        self._halt.set()
        self.join()
        return self.peak


def run_stage(name: str, command: list[str], *, log: Path, env: dict[str, str] | None = None,
              report: Path | None = None, cwd: Path = REPO, check: bool = True,
              memory_cap_mb: float | None = None) -> StageResult:
    """Run `command` as a child process and measure it. Its stdout and stderr go to `log`; a
    stage that writes a JSON `report` file gets it back as `details`. With `memory_cap_mb` the
    child's process tree is killed once its summed RSS passes the cap."""
    log.parent.mkdir(parents=True, exist_ok=True)
    if report is not None:
        report.unlink(missing_ok=True)
    load_before = os.getloadavg()
    with log.open("w", encoding="utf-8") as out:
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                 start_new_session=memory_cap_mb is not None)
        sampler = _TreeSampler(child.pid, cap_bytes=None if memory_cap_mb is None else int(memory_cap_mb * 2**20))
        sampler.start()
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        tree_peak = sampler.stop()
    result = StageResult(
        name=name, command=[str(c) for c in command], returncode=child.returncode, wall_s=wall,
        user_s=usage.ru_utime, sys_s=usage.ru_stime, peak_rss_mb=usage.ru_maxrss / 1024,
        tree_peak_mb=tree_peak / 2**20, load_before=load_before, load_after=os.getloadavg(),
        details=json.loads(report.read_text()) if report is not None and report.exists() else {},
        memory_cap_mb=memory_cap_mb, killed_at_cap=sampler.killed_at, rss_timeline=sampler.timeline,
        processes_at_peak=sampler.at_peak,
    )
    print(result.line(), flush=True)
    if check and child.returncode != 0:
        tail = "".join(log.read_text(encoding="utf-8", errors="replace").splitlines(True)[-40:])
        raise SystemExit(f"stage {name} failed (exit {child.returncode}); end of {log}:\n{tail}")
    return result


def stage_command(stage: str, *args: object) -> list[str]:
    """The command line of one stage body in `benchmarks._stages`."""
    return [PYTHON, "-m", "benchmarks._stages", stage, *(str(a) for a in args)]


def generated_landing(folder: Path, landing: Path, logs: Path, env: dict[str, str], *, reuse: bool,
                      args: tuple, memory_cap_mb: float | None = None) -> tuple[dict, StageResult | None]:
    """The synthetic landing folder of the `generate` stage with `args`, and what it reported
    (`folder/generate.json`). With `reuse`, a folder generated before with the same args (its stamp
    says so) is kept and no stage runs."""
    stamp = folder / "landing.stamp"
    wanted = [str(a) for a in args]
    if reuse and stamp.exists() and landing.exists():
        recorded = json.loads(stamp.read_text())
        if recorded.get("args") == wanted:
            print(f"reusing {landing}")
            return recorded["generated"], None
    stamp.unlink(missing_ok=True)
    stage = run_stage("generate", stage_command("generate", landing, *wanted, "--report", folder / "generate.json"),
                      log=logs / "generate.log", env=env, report=folder / "generate.json",
                      memory_cap_mb=memory_cap_mb)
    stamp.write_text(json.dumps({"args": wanted, "generated": stage.details}, default=str))
    return stage.details, stage


def fresh_duckdb(path: Path) -> None:
    """Remove a DuckDB file and its side files so the next connect creates it anew."""
    for suffix in ("", ".wal", ".tmp"):
        target = Path(str(path) + suffix)
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink(missing_ok=True)


def copy_duckdb(source: Path, target: Path) -> None:
    fresh_duckdb(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    wal = Path(str(source) + ".wal")
    if wal.exists():
        shutil.copyfile(wal, Path(str(target) + ".wal"))


def benchmark_env(**extra: str) -> dict[str, str]:
    """The environment of a stage: this one, without DAGSTER_HOME, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env.update(extra)
    return env


def machine() -> dict:
    mem_total = 0
    with open("/proc/meminfo") as handle:
        for line in handle:
            if line.startswith("MemTotal:"):
                mem_total = int(line.split()[1]) // 1024
    cpu = ""
    with open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    import duckdb
    import polars
    return {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(), "cpu": cpu, "memory_mb": mem_total,
        "python": platform.python_version(), "duckdb": duckdb.__version__, "polars": polars.__version__,
        "git_head": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                                   text=True).stdout.strip(),
        "load_at_start": os.getloadavg(),
        # the product code measured is the working tree: note what differs from HEAD
        "uncommitted_product_files": subprocess.run(
            ["git", "status", "--short", "--", "orchestration", "dbt_project", "contracts", "data_checks"],
            cwd=REPO, capture_output=True, text=True).stdout.splitlines(),
    }


def busy_processes(limit: int = 6) -> list[str]:
    """The busiest other processes right now (the machine is shared): `ps` lines."""
    ps = subprocess.run(["ps", "-eo", "pcpu,rss,etime,args", "--sort=-pcpu"], capture_output=True, text=True)
    mine = str(os.getpid())
    rows = [line[:160] for line in ps.stdout.splitlines()[1:] if mine not in line]
    return rows[:limit]


def write_results(bench: str, payload: dict) -> Path:
    folder = OUT / bench
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    text = json.dumps(payload, indent=2, default=_jsonable)
    (folder / f"results-{stamp}.json").write_text(text)
    latest = folder / "results.json"
    latest.write_text(text)
    return latest


def _jsonable(value: object) -> object:
    if isinstance(value, StageResult):
        return {**asdict(value), "cpu_s": value.cpu_s}
    if isinstance(value, Path):
        return str(value)
    return str(value)


def ratio(a: float, b: float) -> float:
    return a / b if b else float("inf")


def mb(path: Path) -> float:
    return path.stat().st_size / 1e6
