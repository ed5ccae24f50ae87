"""Run a command; print its wall time and the peak summed RSS and PSS of its whole process tree.

    python scripts/peak_memory.py stance run corpus.yaml

Sampled every 0.5 s with psutil (so a shorter peak can be missed). PSS counts pages that processes share (forked
workers) once, split among them; summed RSS counts them once per process.
"""

from __future__ import annotations

import subprocess
import sys
import time

import psutil


def main() -> int:
    started = time.perf_counter()
    child = subprocess.Popen(sys.argv[1:])
    root = psutil.Process(child.pid)
    peak_rss = peak_pss = 0
    while child.poll() is None:
        try:
            infos = [p.memory_full_info() for p in [root, *root.children(recursive=True)]]
            peak_rss = max(peak_rss, sum(i.rss for i in infos))
            peak_pss = max(peak_pss, sum(i.pss for i in infos))
        except psutil.Error:
            pass  # a process ended between listing and reading
        time.sleep(0.5)
    print(
        f"wall {time.perf_counter() - started:.1f} s, peak tree RSS {peak_rss / 2**20:.0f} MB, "
        f"PSS {peak_pss / 2**20:.0f} MB, exit {child.returncode}",
        file=sys.stderr,
    )
    return child.returncode


if __name__ == "__main__":
    sys.exit(main())
