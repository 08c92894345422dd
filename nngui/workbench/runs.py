"""Runs: every training run kept, with what it needs to be compared, restored or saved.

A RunRecord holds a run's settings, loss history, final metrics, the weights at its end and
the epoch they are from, how it ended, when it started, and whether it was saved. ``Runs`` is
the ordered list the window shows: add, rename, delete, select; it tells its listeners of
every change and counts the runs never saved (for the question on quitting).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from nngui.core.data import DataSpec, DataSpecError
from nngui.core.model import Model
from nngui.core.network import Network
from nngui.core.playground_source import PlaygroundSpec
from nngui.core.setup import build_dataset
from nngui.core.training import OUTCOMES, History, TrainConfig
from nngui.workbench.listeners import Listeners
from nngui.workbench.session import Session, copy_history
from nngui.workbench.settings import Settings, SettingsError

#: Longest run name.
MAX_NAME = 80


class RunsError(ValueError):
    """An edit of the runs list that cannot be made (an unknown run, an unusable name)."""


@dataclass(frozen=True, eq=False)
class RunRecord:
    """One training run (a fresh start or a continuation) as it ended."""

    name: str
    started: dt.datetime
    settings: Settings
    history: History
    metrics: dict[str, Any]
    params: tuple[np.ndarray, ...]
    weights_epoch: int
    outcome: str
    saved: bool = False
    id: int = 0

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise RunsError(f"unknown outcome {self.outcome!r}")
        if not 0 <= self.weights_epoch <= self.history.epochs:
            raise RunsError(
                f"weights of epoch {self.weights_epoch} in a run of {self.history.epochs} epochs"
            )

    @classmethod
    def of_session(
        cls, session: Session, config: TrainConfig, started: dt.datetime, outcome: str
    ) -> RunRecord | None:
        """The run that left ``session`` as it is, trained with ``config`` (copies), or None
        if its parts do not fit together (settings a run was trained with always do)."""
        model = session.model(config)
        try:
            if model.data_spec is None:
                return None
            settings = Settings(model.data_spec, tuple(model.network.layers), config)
            history = copy_history(model.history)
            kept = history.epochs if model.weights_epoch is None else model.weights_epoch
            return cls(
                name="", started=started, settings=settings, history=history,
                metrics=model.metrics, params=tuple(p.copy() for p in model.network.params),
                weights_epoch=kept, outcome=outcome,
            )  # fmt: skip
        except (SettingsError, DataSpecError, RunsError):
            return None

    @property
    def epochs(self) -> int:
        """Epochs in the run's history (earlier runs of the same network included)."""
        return self.history.epochs

    def summary(self) -> str:
        """The settings in a few words, e.g. "2-4-4-3 relu · gd, lr 0.01, full batch · 10,000
        samples"."""
        s = self.settings
        if isinstance(s.data, DataSpec):
            n_inputs = len(s.data.ranges)
        elif isinstance(s.data, PlaygroundSpec):
            n_inputs = len(s.data.features)
        else:  # one-hot columns: the first layer's parameters say (its weights, then biases)
            n_inputs = len(self.params[0]) - 1 if self.params else len(s.data.inputs)
        sizes = "-".join(str(n) for n in [n_inputs, *(layer.units for layer in s.layers)])
        acts = sorted({layer.activation for layer in s.hidden}) or ["no hidden layers"]
        t = s.training
        batch = "full batch" if not t.batch_size else f"batch {t.batch_size:,}"
        if isinstance(s.data, DataSpec):
            data = f"{s.data.samples:,} samples"
        elif isinstance(s.data, PlaygroundSpec):
            data = f"{s.data.dataset}, {s.data.points:,} points"
        else:
            data = os.path.basename(s.data.path)
        return f"{sizes} {'/'.join(acts)} · {t.optimizer}, lr {t.lr:g}, {batch} · {data}"

    def model(self) -> Model:
        """The run as a model, as a file would hold it: its network at the kept weights, the
        scalers of its (regenerated) data, its settings, history, metrics and outcome."""
        s = self.settings
        dataset = build_dataset(s.data)
        network = Network(dataset.n_inputs, list(s.layers), [p.copy() for p in self.params],
                          np.dtype(s.training.dtype))  # fmt: skip
        model = Model.from_dataset(network, dataset, s.training, self.history)
        return dataclasses.replace(
            model, metrics=dict(self.metrics), outcome=self.outcome,
            weights_epoch=None if self.weights_epoch == self.epochs else self.weights_epoch,
        )  # fmt: skip

    def test_rmse(self) -> list[float] | None:
        """The test RMSE per output at the run's end, if it was measured."""
        test = self.metrics.get("test")
        if not isinstance(test, dict) or "rmse" not in test:
            return None
        return [float(v) for v in test["rmse"]]


def check_name(name: str) -> str:
    """``name`` without surrounding spaces, if it can name a run; raises RunsError otherwise."""
    name = name.strip()
    if not name:
        raise RunsError("a run needs a name")
    if len(name) > MAX_NAME:
        raise RunsError(f"a run's name has at most {MAX_NAME} characters, not {len(name)}")
    if not name.isprintable():
        raise RunsError("a run's name cannot hold control characters")
    return name


class Runs:
    """The runs kept, oldest first, and the one selected (see the module docstring)."""

    def __init__(self) -> None:
        self._runs: list[RunRecord] = []
        self._selected: int | None = None  # a run's id
        self._next_id = 1
        self._notify: Listeners[[]] = Listeners()

    # ----- reading --------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._runs)

    def __iter__(self) -> Iterator[RunRecord]:
        return iter(list(self._runs))

    def get(self, run_id: int) -> RunRecord:
        """The run with id ``run_id``; raises RunsError if there is none."""
        for run in self._runs:
            if run.id == run_id:
                return run
        raise RunsError(f"no run with id {run_id}")

    @property
    def selected(self) -> RunRecord | None:
        """The selected run, or None."""
        return None if self._selected is None else self.get(self._selected)

    def unsaved(self) -> int:
        """How many runs were never saved."""
        return sum(not run.saved for run in self._runs)

    # ----- changing -------------------------------------------------------------------------
    def add(self, run: RunRecord) -> RunRecord:
        """Keep ``run`` (named "Run N" if its name is empty) and select it; returns it as kept."""
        name = run.name.strip() or f"Run {self._next_id}"
        kept = dataclasses.replace(run, name=check_name(name), id=self._next_id)
        self._next_id += 1
        self._runs.append(kept)
        self._selected = kept.id
        self._notify()
        return kept

    def rename(self, run_id: int, name: str) -> RunRecord:
        """Give the run ``run_id`` another name."""
        return self._replace(run_id, name=check_name(name))

    def mark_saved(self, run_id: int) -> RunRecord:
        """Note that the run ``run_id`` has been saved to a file."""
        return self._replace(run_id, saved=True)

    def delete(self, run_id: int) -> None:
        """Forget the run ``run_id``; the selection moves to its neighbour (or to none)."""
        index = self._index(run_id)
        del self._runs[index]
        if self._selected == run_id:
            neighbour = min(index, len(self._runs) - 1)
            self._selected = self._runs[neighbour].id if self._runs else None
        self._notify()

    def select(self, run_id: int | None) -> None:
        """Select the run ``run_id`` (None: no run)."""
        if run_id is not None:
            self._index(run_id)
        if run_id != self._selected:
            self._selected = run_id
            self._notify()

    def subscribe(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call ``listener()`` after every change; returns how to unsubscribe."""
        return self._notify.add(listener)

    # ----- internals ------------------------------------------------------------------------
    def _index(self, run_id: int) -> int:
        for i, run in enumerate(self._runs):
            if run.id == run_id:
                return i
        raise RunsError(f"no run with id {run_id}")

    def _replace(self, run_id: int, **changes: Any) -> RunRecord:
        index = self._index(run_id)
        self._runs[index] = dataclasses.replace(self._runs[index], **changes)
        self._notify()
        return self._runs[index]
