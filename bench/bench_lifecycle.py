"""Memory over repeated window lifecycles: open a window, train a little, close it; again.

Each cycle builds a ``MainWindow``, shows it, trains the article's network for ``--epochs``
epochs in the worker thread, waits for the run to end, closes the window (no unsaved-work
question: the work is marked saved) and lets Qt delete it. After warm-up the process should
hold steady: every window, worker, thread, plot and view must go when the window goes.

Prints the resident set size (RSS) after selected cycles, its growth since the warm-up, and
how many Qt objects and Python objects of the project's classes are still alive.

    python bench/bench_lifecycle.py                   # 200 cycles
    python bench/bench_lifecycle.py --cycles 50 --epochs 200
"""

from __future__ import annotations

import argparse
import collections
import gc
import os
import resource
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from nngui.gui.app import make_app

WARM_UP = 10


def rss_mb() -> float:
    """The resident set size of this process now, in MB."""
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * resource.getpagesize() / 1e6


def wait(until, limit: float) -> None:
    """Run the event loop until ``until()`` (polled every 20 ms) or ``limit`` seconds pass."""
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(20)
    poll.timeout.connect(lambda: loop.quit() if until() else None)
    QTimer.singleShot(round(limit * 1000), loop.quit)
    poll.start()
    loop.exec()
    poll.stop()


def settle() -> None:
    """Let Qt run its deferred deletes, then collect Python's garbage."""
    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QApplication.processEvents()
        gc.collect()


def one_cycle(epochs: int, close_while_training: bool) -> None:
    """Open a window, train ``epochs`` epochs (or until closed while training), close it."""
    from nngui.gui.main_window import MainWindow

    w = MainWindow()
    w.show()
    w.workbench.set_training(epochs=10**8 if close_while_training else epochs)
    w.train()
    if close_while_training:
        wait(lambda: False, 0.2)
        w.close()  # asks first: the patched question answers Discard
    else:
        wait(lambda: w.state != "training", 60)
        w.setWindowModified(False)  # nothing to ask about: the bench keeps nothing
        w.close()
    if w.isVisible():
        raise SystemExit("the window did not close")
    w.deleteLater()
    settle()


def project_objects() -> collections.Counter[str]:
    """Live Python objects of nngui's own classes, by class name."""
    counts: collections.Counter[str] = collections.Counter()
    for obj in gc.get_objects():
        cls = type(obj)
        if str(getattr(cls, "__module__", "")).startswith("nngui"):
            counts[cls.__name__] += 1
    return counts


def main(argv: list[str] | None = None) -> int:
    """Run the cycles and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=200, help="window lifecycles")
    parser.add_argument("--epochs", type=int, default=100, help="epochs trained per cycle")
    parser.add_argument(
        "--close-while-training", action="store_true",
        help="close each window 0.2 s into a run (answering Discard) instead of after it",
    )  # fmt: skip
    args = parser.parse_args(argv)
    QMessageBox.question = staticmethod(  # type: ignore[method-assign]
        lambda *a, **k: QMessageBox.StandardButton.Discard
    )
    app = make_app()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)  # leave the user's settings alone
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, "/tmp/nngui-bench-settings"
    )
    marks = sorted({1, 5, WARM_UP, 25, 50, 100, 150, args.cycles} & set(range(1, args.cycles + 1)))
    start = rss_mb()
    how = "close while training" if args.close_while_training else f"train {args.epochs} epochs"
    print(f"{args.cycles} cycles of open, {how}, close; RSS at start "
          f"{start:.0f} MB (Python, NumPy, Qt and pyqtgraph loaded)")  # fmt: skip
    print(f"{'cycle':>6} {'RSS MB':>8} {'since warm-up':>14} {'Qt objects':>11} "
          f"{'nngui objects':>14} {'s/cycle':>8}")  # fmt: skip
    warm = None
    t0 = time.perf_counter()
    last_t, last_cycle = t0, 0
    for cycle in range(1, args.cycles + 1):
        one_cycle(args.epochs, args.close_while_training)
        if cycle in marks:
            rss = rss_mb()
            if cycle == WARM_UP:
                warm = rss
            since = f"{rss - warm:+.1f}" if warm is not None else ""
            widgets = len(QApplication.allWidgets())
            ours = sum(project_objects().values())
            now = time.perf_counter()
            per = (now - last_t) / (cycle - last_cycle)
            last_t, last_cycle = now, cycle
            print(f"{cycle:>6} {rss:>8.1f} {since:>14} {widgets:>11} {ours:>14} {per:>8.2f}")
    left = project_objects()
    if left:
        print("nngui objects still alive:", ", ".join(f"{k} {v}" for k, v in left.most_common(8)))
    app.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
