"""Reading a big numeric CSV: nngui's reader against pandas.read_csv and numpy.loadtxt.

Writes (once, in a temporary folder unless ``--file`` names one) a CSV of ``--rows`` rows ×
``--columns`` columns of random floats with a header, then reads it in a fresh Python process
per reader and round: ``nngui`` (sniffing the dialect, reading, every column a float64 array
ready to train), ``nngui window`` (as the window's import view asks: with progress reports and a
stop flag), ``pandas`` (``read_csv`` with the same settings)
and ``numpy.loadtxt``. Rounds are interleaved and the best of ``--repeat`` is reported for each:
the whole process's wall time (Python's start included, as a user waits for it) and its peak
memory (max RSS). Targets: nngui within 1.5× of pandas in both.

    python bench/bench_csv.py                       # 1,000,000 × 10, best of 3
    python bench/bench_csv.py --rows 100000 --repeat 5
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

READERS = {
    "nngui": (
        "from nngui.core.csv_table import read_table\n"
        "t = read_table(PATH)\n"
        "x = [c.values for c in t.columns]\n"
        "assert t.rows == ROWS and all(c.kind == 'numeric' for c in t.columns)\n"
    ),
    "nngui window": (  # as the import view asks: with progress reports and a stop flag
        "from nngui.core.csv_table import read_table\n"
        "seen = []\n"
        "t = read_table(PATH, progress=seen.append, cancelled=lambda: False)\n"
        "x = [c.values for c in t.columns]\n"
        "assert t.rows == ROWS and seen\n"
    ),
    "pandas": (
        "import pandas as pd\n"
        "f = pd.read_csv(PATH)\n"
        "x = [f[c].to_numpy() for c in f.columns]\n"
        "assert len(f) == ROWS\n"
    ),
    "numpy.loadtxt": (
        "import numpy as np\n"
        "x = np.loadtxt(PATH, delimiter=',', skiprows=1)\n"
        "assert len(x) == ROWS\n"
    ),
}


def write_file(path: Path, rows: int, columns: int) -> None:
    """A header and ``rows`` rows of random floats (about 13 bytes a value)."""
    rng = np.random.default_rng(0)
    header = ",".join(f"x{i}" for i in range(columns))
    with path.open("w") as f:
        f.write(header + "\n")
        for start in range(0, rows, 100_000):
            block = rng.normal(size=(min(100_000, rows - start), columns)) * 100
            np.savetxt(f, block, delimiter=",", fmt="%.6f")


def measure(code: str, path: Path, rows: int) -> tuple[float, float]:
    """Wall seconds and peak MB of one fresh process, its peak read from its own rusage."""
    script = code.replace("PATH", repr(str(path))).replace("ROWS", str(rows))
    script += "import resource, sys\nprint(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True,
                         text=True).stdout  # fmt: skip
    seconds = time.perf_counter() - start
    return seconds, int(out.split()[-1]) / 1024


def main(argv: list[str] | None = None) -> int:
    """Write the file if needed, read it with every reader, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--columns", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--file", type=Path, help="the CSV to use (written if missing)")
    args = parser.parse_args(argv)
    folder = tempfile.TemporaryDirectory()
    path = args.file or Path(folder.name) / "big.csv"
    if not path.exists():
        write_file(path, args.rows, args.columns)
    size = os.path.getsize(path) / 1e6
    print(f"{args.rows:,} rows × {args.columns} columns, {size:,.0f} MB; best of {args.repeat}")
    best: dict[str, tuple[float, float]] = {}
    for _ in range(args.repeat):
        for name, code in READERS.items():
            seconds, mb = measure(code, path, args.rows)
            old = best.get(name, (np.inf, np.inf))
            best[name] = (min(old[0], seconds), min(old[1], mb))
    base_s, base_mb = best["pandas"]
    print(f"{'reader':<15}{'seconds':>9}{'peak MB':>10}{'vs pandas':>11}{'memory':>9}")
    for name, (seconds, mb) in best.items():
        print(
            f"{name:<15}{seconds:>9.2f}{mb:>10.0f}{seconds / base_s:>10.2f}×{mb / base_mb:>8.2f}×"
        )
    for name in ("nngui", "nngui window"):
        s, mb = best[name]
        ok = s <= 1.5 * base_s and mb <= 1.5 * base_mb
        print(f"{name} vs pandas: {s / base_s:.2f}× time, {mb / base_mb:.2f}× memory: "
              f"{'meets' if ok else 'misses'} the 1.5× targets")  # fmt: skip
    folder.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
