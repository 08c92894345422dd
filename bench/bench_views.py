"""What one refresh of each explanatory piece costs, outside training: a table, best of runs.

Measured in the GUI thread with nothing else running (offscreen):

- Network view: ``show_state`` and a paint (``grab``), 2-32-32-3 network (target: under
  30 ms, so that four live refreshes a second stay cheap);
- Inside view: ``show_state`` on its steps and histograms pages, each preset's network
  (target: under 100 ms);
- gradient check (``core.gradient_check.check_gradients``) of each preset's network, fresh and
  after 30 epochs (target: under 1 s: the button answers at once);
- loss plot: 40 appends of 25,000 epochs with a redraw each, up to a million epochs (target:
  under 10 s in all);
- Decision map and Confusion views: ``show_state`` and a paint, the "Playground: spiral"
  preset's 2-32-32-1 classifier on its 500 points (target: under 30 ms, as the Network view).

    python bench/bench_views.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import time
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np

from nngui.core.data import Dataset, make_dataset
from nngui.core.gradient_check import check_gradients
from nngui.core.model import Model
from nngui.core.network import LayerSpec, Network
from nngui.core.presets import PRESETS
from nngui.core.setup import fresh_start
from nngui.core.training import Trainer
from nngui.gui.app import make_app
from nngui.gui.views.base import ViewState


def best(run: Callable[[], None], repeat: int, per: int = 1) -> float:
    """The best time of ``repeat`` calls of ``run``, divided by ``per``, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) / per)
    return min(times)


def preset_state(name: str, seed_shift: int = 0) -> tuple[ViewState, Network, Dataset]:
    """A fresh network of the preset ``name``, its data and a view state of both."""
    preset = PRESETS[name]
    t = preset.training
    data = dataclasses.replace(preset.data, seed=preset.data.seed + seed_shift)
    ds, net = fresh_start(data, preset.layers, t.init, t.dtype)
    return ViewState(Model.from_dataset(net, ds), ds, 0), net, ds


def network_view(repeat: int) -> float:
    """Seconds per show_state + repaint of the Network view (2-32-32-3)."""
    from nngui.core.data import DataSpec
    from nngui.gui.views.network_view import NetworkView

    rng = np.random.RandomState(1)
    layers = [LayerSpec(32, "tanh"), LayerSpec(32, "tanh"), LayerSpec(3, "linear")]
    ds = make_dataset(DataSpec(samples=200))
    states = [  # two networks in turn, as live training sends new weights each time
        ViewState(Model.from_dataset(Network.initialise(2, layers, rng), ds), ds, epoch)
        for epoch in (1, 2)
    ]
    view = NetworkView()
    view.resize(900, 600)
    view.show()
    view.show_state(states[0])

    def ten() -> None:
        for i in range(10):
            view.show_state(states[i % 2])
            view.grab()  # paints the view and its children, visible or not

    return best(ten, repeat, per=10)


def inside_view(repeat: int) -> dict[str, float]:
    """Seconds per show_state of the Inside view, by preset and page."""
    from nngui.gui.views.inside_view import InsideView

    view = InsideView()
    view.resize(900, 600)
    view.show()
    result = {}
    for name in PRESETS:
        states = [preset_state(name, shift)[0] for shift in (0, 1)]  # new weights each time
        for page in (view.steps, view.histograms):
            view.tabs.setCurrentWidget(page)

            def two(page_states: list[ViewState] = states) -> None:
                for s in page_states:
                    view.show_state(s)
                    view.grab()  # paints the view and its children, visible or not

            label = "steps" if page is view.steps else "histograms"
            result[f"{name}, {label}"] = best(two, repeat, per=2)
    return result


def gradient_checks(repeat: int) -> dict[str, float]:
    """Seconds per gradient check of each preset's network, fresh and after 30 epochs."""
    result = {}
    for name in PRESETS:
        _, net, ds = preset_state(name)
        trainer = Trainer(net, ds, PRESETS[name].training)
        for epochs in (0, 30):
            trainer.run(epochs=epochs, time_limit=0)

            def check(n: Network = net, d: Dataset = ds) -> None:
                check_gradients(n, d.train.xs, d.train.ys)

            result[f"{name}, after {epochs} epochs"] = best(check, repeat)
    return result


def loss_plot(repeat: int) -> float:
    """Seconds for 40 appends of 25,000 epochs with a redraw each (a million in all)."""
    from nngui.gui.loss_plot import LossPlot

    rng = np.random.default_rng(1)
    total, chunk = 1_000_000, 25_000
    full = np.exp(-np.linspace(0, 8, total)) * (1 + 0.1 * rng.random(total))

    def million() -> None:
        plot = LossPlot()
        plot.resize(800, 500)
        plot.show()
        for start in range(0, total, chunk):
            evals = np.arange(start + 1, start + chunk + 1, 1000, dtype=float)
            tests = full[evals.astype(int) - 1]
            plot.append(full[start : start + chunk], evals, np.full(len(evals), np.nan), tests)
            plot.redraw()
        plot.close()

    return best(million, max(1, repeat // 2))


def classifier_views(repeat: int) -> dict[str, float]:
    """Seconds per show_state + paint of the Decision map and Confusion views."""
    from nngui.gui.views.confusion_view import ConfusionView
    from nngui.gui.views.decision_map_view import DecisionMapView

    name = "Playground: spiral"
    _, net, ds = preset_state(name)
    trainer = Trainer(net, ds, PRESETS[name].training)
    states = []
    for epochs in (30, 1):  # two networks of one data set in turn, as training sends them
        trainer.run(epochs=epochs, time_limit=0)
        states.append(ViewState(Model.from_dataset(net.copy(), ds), ds, trainer.history.epochs))
    result = {}
    for view in (DecisionMapView(), ConfusionView()):
        view.resize(900, 600)
        view.show()
        view.show_state(states[0])

        def ten(v: DecisionMapView | ConfusionView = view) -> None:
            for i in range(10):
                v.show_state(states[i % 2])
                v.grab()

        result[f"{view.title} view, show_state + paint (2-32-32-1, 500 points)"] = best(
            ten, repeat, per=10
        )
    return result


def main(argv: list[str] | None = None) -> int:
    """Measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each (the best counts)")
    args = parser.parse_args(argv)
    make_app()
    rows: list[tuple[str, float, float]] = [
        ("Network view, show_state + paint (2-32-32-3)", network_view(args.repeat), 0.03)
    ]
    rows += [(f"Inside view, {k}", v, 0.1) for k, v in inside_view(args.repeat).items()]
    rows += [(f"gradient check, {k}", v, 1.0) for k, v in gradient_checks(args.repeat).items()]
    rows.append(("loss plot, 1M epochs in 40 appends + redraws", loss_plot(args.repeat), 10.0))
    rows += [(k, v, 0.03) for k, v in classifier_views(args.repeat).items()]
    width = max(len(r[0]) for r in rows)
    print(f"{'what':<{width}}  {'best':>10}  {'target':>8}")
    for what, seconds, target in rows:
        mark = "" if seconds < target else "  over the target"
        print(f"{what:<{width}}  {seconds * 1000:>7.1f} ms  {target * 1000:>5.0f} ms{mark}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
