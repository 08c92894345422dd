"""Classifying TensorFlow Playground's sets: test accuracy and time, per set and setting.

Issue 11's quality goal: with noise 0, 500 points and half of them to train (Playground's
setting), the "fast" preset reaches at least 99 % test accuracy on circle, xor and gauss and
98 % on spiral within 10 s. Each set is drawn, trained and scored through ``nngui train
--dataset`` (the same code as the command line), best of ``--repeat`` runs by time, with the
settings named in the table.

    python bench/bench_playground.py
    python bench/bench_playground.py --repeat 3
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys

from nngui.cli import main as nngui

SETS = ("circle", "xor", "gauss", "spiral")
SETTINGS = {
    "fast preset": ["--preset", "fast"],
    "2×32 tanh, adam 0.01": [
        "--hidden", "32,32", "--activation", "tanh", "--optimizer", "adam", "--lr", "0.01",
        "--batch-size", "32", "--epochs", "3000",
    ],
}  # fmt: skip


def run(dataset: str, options: list[str]) -> dict[str, object]:
    """One training run's --json report."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = nngui(["train", "--dataset", dataset, *options, "--json"])
    if code != 0:
        raise SystemExit(f"nngui train --dataset {dataset} {' '.join(options)} failed")
    report: dict[str, object] = json.loads(out.getvalue())
    return report


def main(argv: list[str] | None = None) -> int:
    """Train every set with every setting; print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)
    print(f"{'setting':<24}{'set':<8}{'epochs':>8}{'seconds':>9}{'test accuracy':>15}  outcome")
    for name, options in SETTINGS.items():
        for dataset in SETS:
            best = min((run(dataset, options) for _ in range(args.repeat)),
                       key=lambda r: float(str(r["seconds"])))  # fmt: skip
            print(
                f"{name:<24}{dataset:<8}{best['epochs_run']:>8,}{best['seconds']:>9.2f}"
                f"{best['test_accuracy']:>14.1%}  {best['outcome']}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
