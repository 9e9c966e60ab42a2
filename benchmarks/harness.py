"""Run benchmark children in their own processes and print result tables.

Peak memory is the child's ``ru_maxrss`` from ``os.wait4`` (the resident-set high-water mark
of that one process and anything it waited for), so systems do not share a figure.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LOG_DIR = ROOT / "benchmarks" / "data" / "logs"


def command_line() -> str:
    """The command that started this process, as it can be typed again from the repo root."""
    argv = list(getattr(sys, "orig_argv", sys.argv))
    exe = Path(argv[0])
    argv[0] = os.path.relpath(exe if exe.is_absolute() else Path(sys.executable), ROOT)
    return shlex.join(argv)


def machine() -> str:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} cores, {mem:.0f} GiB RAM, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )


def versions(*packages: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for p in packages:
        try:
            out.append(f"{p} {version(p)}")
        except PackageNotFoundError:
            out.append(f"{p} (not installed)")
    return ", ".join(out)


def header(title: str, *packages: str) -> None:
    print(f"# {title}")
    print(f"command: {command_line()}")
    print(f"date:    {dt.datetime.now().astimezone().isoformat(timespec='seconds')}")
    print(f"machine: {machine()}")
    if packages:
        print(f"versions: {versions(*packages)}")
    print(flush=True)


def run_child(
    module: str, args: Sequence[str], *, tag: str, timeout: float = 3600
) -> dict[str, Any]:
    """Run ``python -m module args... --out FILE`` and return its JSON plus ``proc_s`` (wall
    time of the whole process) and ``peak_rss_mb``."""
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log_path = LOG_DIR / f"{tag}.log"
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as tmp:
        out_path = Path(tmp.name)
    cmd = [sys.executable, "-m", module, *args, "--out", str(out_path)]
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    t0 = time.perf_counter()
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
        timed_out = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - t0 > timeout and not timed_out:
                os.killpg(proc.pid, signal.SIGKILL)
                timed_out = True
            time.sleep(0.02)
        proc.returncode = os.waitstatus_to_exitcode(status)
    proc_s = time.perf_counter() - t0
    try:
        result = json.loads(out_path.read_text())
    except (OSError, ValueError):
        tail = log_path.read_text(errors="replace").strip().splitlines()[-3:]
        why = "timed out" if timed_out else f"exit {proc.returncode}"
        result = {"status": "error", "message": f"{why}: {' | '.join(tail)}"}
    finally:
        out_path.unlink(missing_ok=True)
    result["proc_s"] = proc_s
    result["peak_rss_mb"] = usage.ru_maxrss / 1024  # Linux reports KiB
    result["log"] = os.path.relpath(log_path, ROOT)
    return result


def fmt(value: Any, digits: int = 4) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def table(rows: Iterable[dict[str, Any]], columns: Sequence[tuple[str, str, int]]) -> str:
    """Markdown table; ``columns`` are (key, heading, float digits)."""
    rows = list(rows)
    cells = [[fmt(r.get(k), d) for k, _, d in columns] for r in rows]
    heads = [h for _, h, _ in columns]
    widths = [
        max(len(h), *(len(c[i]) for c in cells)) if cells else len(h) for i, h in enumerate(heads)
    ]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(heads, widths, strict=True)) + " |"
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"
        for row in cells
    ]
    return "\n".join([line, sep, *body])


RESULT_COLUMNS = (
    ("system", "system", 0),
    ("dataset", "data", 0),
    ("records", "records", 0),
    ("precision", "precision", 4),
    ("recall", "recall", 4),
    ("f1", "F1", 4),
    ("wall_s", "wall s", 2),
    ("proc_s", "process s", 2),
    ("peak_rss_mb", "peak RSS MB", 0),
    ("status", "status", 0),
)


def result_row(system: str, dataset: str, res: dict[str, Any]) -> dict[str, Any]:
    row = {"system": system, "dataset": dataset, **res}
    if res.get("status") != "ok":
        row["status"] = f"{res.get('status')}: {res.get('message', '')}"[:160]
        for k in ("precision", "recall", "f1", "wall_s"):
            row[k] = None
    else:
        row["peak_rss_mb"] = float(res["peak_rss_mb"])
    return row


def ratio_row(
    dataset: str,
    ours: dict[str, Any] | None,
    theirs: dict[str, Any] | None,
    label: str = "wayhome/splink",
) -> dict[str, Any]:
    """Ratios wayhome/Splink for time and memory, and the F1 difference (as text)."""
    row: dict[str, Any] = {"system": label, "dataset": dataset}
    if not ours or not theirs or ours.get("status") != "ok" or theirs.get("status") != "ok":
        missing = [
            n
            for n, r in (("wayhome", ours), ("splink", theirs))
            if not r or r.get("status") != "ok"
        ]
        row["status"] = f"n/a ({', '.join(missing)} without a result)"
        return row
    row["f1"] = f"{ours['f1'] - theirs['f1']:+.4f} (diff)"
    row["precision"] = f"{ours['precision'] - theirs['precision']:+.4f}"
    row["recall"] = f"{ours['recall'] - theirs['recall']:+.4f}"
    row["wall_s"] = f"x{ours['wall_s'] / theirs['wall_s']:.2f}"
    row["proc_s"] = f"x{ours['proc_s'] / theirs['proc_s']:.2f}"
    row["peak_rss_mb"] = f"x{ours['peak_rss_mb'] / theirs['peak_rss_mb']:.2f}"
    row["status"] = "ratio"
    return row


def check(label: str, ok: bool | None) -> str:
    return f"  [{'PASS' if ok else 'FAIL' if ok is False else 'N/A '}] {label}"


def best_of_sweep(system: str, dataset: str, res: dict[str, Any]) -> dict[str, Any] | None:
    """A row for the best F1 over the untimed threshold sweep (None without a sweep)."""
    sweep = res.get("sweep") or []
    if res.get("status") != "ok" or not sweep:
        return None
    best = max(sweep, key=lambda r: r["f1"])
    return {
        "system": f"{system} (best t={best['threshold']:g})",
        "dataset": dataset,
        "records": res.get("records"),
        "precision": best["precision"],
        "recall": best["recall"],
        "f1": best["f1"],
        "status": "same run, threshold chosen with the truth (untimed)",
    }
