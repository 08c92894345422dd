"""Training throughput inside the GUI versus headless, and how smooth the window stays.

For the same network and data, trains for a fixed time (default 5 s each):

1. headless: ``Trainer.run`` in the main thread, no callbacks (what ``nngui train`` does);
2. worker: the GUI's ``TrainingWorker`` in its QThread, with its signals delivered to an
   event loop that does nothing else;
3. window: the full ``MainWindow`` (loss plot, progress bar, status bar and predict panel
   updating) while a QTimer ticks every 10 ms to measure event-loop stalls;
4. the window again with each explanatory view (Network, Fit, Error map, Inside) as the
   visible tab instead of the loss plot, refreshing from the weight snapshots.

Each measurement is repeated ``--repeat`` times, interleaved, and the median is reported, since
a 2-core machine's throughput wanders by several per cent from run to run. Prints epochs/s and
samples/s for each, the GUI/headless ratio (target >= 90 %), each view's cost against the
loss-plot tab (target <= 5 %) and the timer-gap statistics. BLAS gets the same thread limit in
every case (the worker's: one core
is left to the GUI thread), so that the comparison is of the GUI's overhead alone.

    python bench/bench_gui.py                     # the article's 2-4-4-3 network
    python bench/bench_gui.py --hidden 64 64      # a wider one
    python bench/bench_gui.py --dataset spiral --hidden 8 8   # a classifier: its decision
                                                  # map and confusion matrix too
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QMessageBox

from nngui.core.data import DataSpec, make_dataset
from nngui.core.network import LayerSpec, Network
from nngui.core.playground_source import PlaygroundSpec
from nngui.core.setup import fresh_start
from nngui.core.training import TrainConfig, Trainer
from nngui.gui.app import make_app
from nngui.gui.worker import TrainingWorker, blas_threads_for_worker, join, start_worker

BIG = 100_000_000
#: The views a regression's window does not show.
CLASSIFIER_VIEWS = ("Decision map", "Confusion")


def setup(hidden: list[int], data: PlaygroundSpec | None = None) -> tuple[Trainer, int]:
    """A fresh trainer on the article's data (or the Playground set ``data``, a classifier);
    returns it and the training rows."""
    if data is not None:
        layers = [*(LayerSpec(u, "relu") for u in hidden), LayerSpec(1, "sigmoid")]
        ds, net = fresh_start(data, layers)
        return Trainer(net, ds, TrainConfig(epochs=BIG)), len(ds.train)
    spec = DataSpec()
    rng = np.random.RandomState(spec.seed)
    ds = make_dataset(spec, rng)
    layers = [*(LayerSpec(u, "relu") for u in hidden), LayerSpec(3, "linear")]
    net = Network.initialise(ds.n_inputs, layers, rng)
    return Trainer(net, ds, TrainConfig(epochs=BIG)), len(ds.train)


def headless(hidden: list[int], seconds: float, data: PlaygroundSpec | None = None) -> float:
    """Epochs per second of Trainer.run alone."""
    trainer, _ = setup(hidden, data)
    with blas_threads_for_worker():
        result = trainer.run(BIG, time_limit=seconds)
    return result.epochs_run / result.seconds


def pump(until, limit: float) -> None:
    """Run a blocking event loop until ``until()`` (polled every 50 ms) or ``limit`` seconds.

    A blocking loop, as in the real application: a busy ``processEvents`` loop would hold
    the GIL and slow the worker down for nothing.
    """
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(50)
    poll.timeout.connect(lambda: loop.quit() if until() else None)
    QTimer.singleShot(round(limit * 1000), loop.quit)
    poll.start()
    loop.exec()
    poll.stop()


def in_worker(app, hidden: list[int], seconds: float, data: PlaygroundSpec | None = None) -> float:
    """Epochs per second of the worker thread, signals delivered to an idle event loop."""
    trainer, _ = setup(hidden, data)
    trainer.config = dataclasses.replace(trainer.config, time_limit=seconds)
    worker = TrainingWorker(trainer, BIG)
    reports: list[object] = []
    worker.progress.connect(reports.append)
    done: list[str] = []
    worker.finished.connect(lambda outcome, _message: done.append(outcome))
    t0 = time.perf_counter()
    thread = start_worker(worker)
    pump(lambda: bool(done), seconds + 30)
    join(worker, thread, stop=True)
    elapsed = time.perf_counter() - t0
    return trainer.history.epochs / elapsed


def in_window(
    app, hidden: list[int], seconds: float, view: int | None = None,
    data: PlaygroundSpec | None = None,
) -> tuple[float, list[float], float]:  # fmt: skip
    """Epochs per second in the full window, the 10 ms timer's gaps while training (seconds),
    and its longest wait once the run has ended (the window adopts the network and refreshes
    every label and the view shown, in one event-loop turn).

    ``view``: index of the explanatory view to show instead of the loss plot.
    """
    from nngui.gui.main_window import MainWindow

    w = MainWindow()
    w.resize(1280, 800)
    w.show()
    if data is not None:
        w.workbench.set_data_spec(data)
    if view is not None:
        w.views.show_view(w.views.views[view])
    w.workbench.set_hidden([LayerSpec(u, "relu") for u in hidden])  # a new network at once
    w.workbench.set_training(epochs=BIG, time_limit=seconds)
    # Shown and painted first, as when a person clicks Train: the window's first paint (about
    # 60 ms) is not a wait while training.
    pump(lambda: False, 0.5)
    gaps: list[float] = []
    end_gaps: list[float] = [0.0]
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        (gaps if w.state == "training" else end_gaps).append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    t0 = time.perf_counter()
    w.train()
    last[0] = time.perf_counter()
    timer.start()
    pump(lambda: w.state != "training", seconds + 30)
    elapsed = time.perf_counter() - t0
    pump(lambda: len(end_gaps) > 3, 5)  # a few ticks after the end, to time its turn
    timer.stop()
    w.stop_training()
    epochs = w.session.history.epochs
    close_unsaved(w)
    return epochs / elapsed, gaps, max(end_gaps)


def close_unsaved(w) -> None:
    """Close the window, discarding its runs: it would ask first (a modal question that
    nobody answers here) since none of them was saved."""
    ask = QMessageBox.question
    QMessageBox.question = lambda *args, **kwargs: QMessageBox.StandardButton.Discard
    try:
        w.close()
    finally:
        QMessageBox.question = ask


def measure(
    app, args: argparse.Namespace
) -> tuple[dict[str, float], dict[str, list[float]], dict[str, list[float]]]:
    """Median epochs/s of every configuration over ``args.repeat`` interleaved rounds, the
    timer gaps of each window configuration while training, and its end-of-run waits."""
    from nngui.gui.main_window import MainWindow

    data = PlaygroundSpec(dataset=args.dataset, points=args.points) if args.dataset else None
    window = MainWindow()
    classifier = data is not None  # (a regression's window has no decision map …)
    names = [v.title for v in window.views.views if classifier or v.title not in CLASSIFIER_VIEWS]
    indices = [window.views.views.index(next(v for v in window.views.views if v.title == n))
               for n in names]  # fmt: skip
    close_unsaved(window)
    rates: dict[str, list[float]] = {}
    gaps: dict[str, list[float]] = {}
    ends: dict[str, list[float]] = {}
    for _ in range(args.repeat):
        rates.setdefault("headless", []).append(headless(args.hidden, args.seconds, data))
        rates.setdefault("worker", []).append(in_worker(app, args.hidden, args.seconds, data))
        views = [(None, "window"), *((i, f"+ {n}") for i, n in zip(indices, names, strict=True))]
        for i, name in views:
            rate, round_gaps, end = in_window(app, args.hidden, args.seconds, i, data)
            rates.setdefault(name, []).append(rate)
            gaps.setdefault(name, []).extend(round_gaps)
            ends.setdefault(name, []).append(end)
    return {k: float(np.median(v)) for k, v in rates.items()}, gaps, ends


def main(argv: list[str] | None = None) -> int:
    """Run the measurements and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hidden", type=int, nargs="*", default=[4, 4], help="hidden units")
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds per measurement")
    parser.add_argument("--repeat", type=int, default=3, help="rounds (the median is shown)")
    parser.add_argument("--dataset", choices=("circle", "xor", "gauss", "spiral"),
                        help="a Playground set: train a classifier on it instead")  # fmt: skip
    parser.add_argument("--points", type=int, default=500, help="its points")
    args = parser.parse_args(argv)
    app = make_app()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)  # leave the user's settings alone
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, "/tmp/nngui-bench-settings"
    )
    data = PlaygroundSpec(dataset=args.dataset, points=args.points) if args.dataset else None
    _, rows = setup(args.hidden, data)
    sizes = "-".join(str(u) for u in [2, *args.hidden, 1 if data else 3])
    if data is not None:
        sizes += f" classifier on {data.dataset}"
    print(f"network {sizes}, {rows:,} training rows, full-batch gradient descent, "
          f"{args.seconds:g} s each, median of {args.repeat}, {os.cpu_count()} CPUs")  # fmt: skip
    rates, gaps, ends = measure(app, args)
    base, window = rates["headless"], rates["window"]
    print(f"{'where':<16} {'epochs/s':>10} {'samples/s':>14} {'vs headless':>12} "
          f"{'vs window':>10} {'max gap':>8} {'run end':>8}")  # fmt: skip
    for name, rate in rates.items():
        versus = f"{rate / window - 1:>+10.1%}" if name.startswith("+") else " " * 10
        gap = f"{max(gaps[name]) * 1000:>6.0f} ms" if gaps.get(name) else ""
        if ends.get(name):
            gap += f" {max(ends[name]) * 1000:>6.0f} ms"
        print(f"{name:<16} {rate:>10,.0f} {rate * rows:>14,.0f} {rate / base:>11.0%} "
              f"{versus} {gap}")  # fmt: skip
    g = np.concatenate([np.array(v) for v in gaps.values()]) * 1000
    if len(g):
        p95, median = np.percentile(g, 95), np.median(g)
        print(f"event loop while training (10 ms timer, {len(g)} ticks): max gap {g.max():.1f} ms, "
              f"95th percentile {p95:.1f} ms, median {median:.1f} ms")  # fmt: skip
    ok = window / base >= 0.9
    print(f"GUI/headless ratio {window / base:.0%}: {'meets' if ok else 'below'} the 90 % target")
    worst = min(r / window for n, r in rates.items() if n.startswith("+"))
    print(f"slowest view costs {1 - worst:.1%} against the loss plot (target <= 5 %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
