"""The session: the network being worked on, its data and history, and how it is worded.

A session is the data set, the network the window shows and the loss history so far. Fresh
sessions draw the data and then the weights from one ``RandomState(spec.seed)`` stream, as the
article and the CLI do, so that the same settings always give the same starting point.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nngui.core.csv_source import CsvSpec
from nngui.core.data import Dataset, DataSpec
from nngui.core.fit import SPLITS
from nngui.core.model import Model
from nngui.core.network import LayerSpec, Network
from nngui.core.playground_source import PlaygroundSpec
from nngui.core.setup import fresh_start, start_on
from nngui.core.training import History, TrainConfig, Trainer


def end_message(reason: str, kept: str) -> str:
    """The status bar's line at the end of a run: why it ended and which weights it kept."""
    return "; ".join(part for part in (f"Run ended: {reason}", kept) if part)


@dataclass
class Session:
    """The data set, the window's copy of the network, its history and how training ended."""

    dataset: Dataset
    network: Network
    history: History = field(default_factory=History)
    outcome: str = ""
    #: The epoch whose weights the network holds when training restored earlier ones (the
    #: best validation epoch, or the last finite one after a divergence); None: the last.
    weights_epoch: int | None = None
    #: The training settings of its last run (None: not trained here, or opened from a file).
    config: TrainConfig | None = None

    @property
    def trained(self) -> bool:
        """Whether any epoch has been trained."""
        return self.history.epochs > 0

    @property
    def kept_epoch(self) -> int:
        """The epoch whose weights the network holds (the history may go on past it)."""
        return self.history.epochs if self.weights_epoch is None else self.weights_epoch

    def model(self, config: TrainConfig | None) -> Model:
        """A Model of the current network, with its final metrics, ready to save."""
        model = Model.from_dataset(self.network.copy(), self.dataset, config, self.history)
        with np.errstate(all="ignore"):  # weights kept after a divergence may be huge
            model.metrics = model.evaluate(self.dataset)
        model.outcome = self.outcome
        model.weights_epoch = self.weights_epoch
        return model

    def predictor(self) -> Model:
        """A Model over a copy of the network, for the predict panel (safe while training)."""
        return Model.from_dataset(self.network.copy(), self.dataset)


def fresh_session(
    spec: DataSpec | CsvSpec | PlaygroundSpec, layers: list[LayerSpec], init: str,
    dtype: str = "float64",
) -> Session:  # fmt: skip
    """Draw the data, then the initial weights, as the command line does (``fresh_start``)."""
    ds, net = fresh_start(spec, layers, init, dtype)
    return Session(ds, net)


def session_on(dataset: Dataset, layers: list[LayerSpec], init: str, dtype: str) -> Session:
    """A new network on a data set already read (``start_on``: the weights as a fresh
    start on that file would draw them)."""
    ds, net = start_on(dataset, layers, init, dtype)
    return Session(ds, net)


def session_from_model(model: Model) -> Session:
    """The session a saved model continues: regenerated data under the model's own scalers."""
    if model.data_spec is None:
        raise ValueError("the model does not record its data settings, so it cannot be trained on")
    ds = model.training_data(np.float64)  # as fresh sessions: any dtype can train on it
    return Session(
        ds, model.network, copy_history(model.history), model.outcome, model.weights_epoch
    )


def copy_history(h: History) -> History:
    """An independent copy of a history."""
    return History.from_arrays(h.arrays(), copy=False)  # arrays() copied them once already


def training_ranges(ds: Dataset) -> list[tuple[float, float]]:
    """The (low, high) range of every input in the training split."""
    x = ds.train.x
    return [(float(lo), float(hi)) for lo, hi in zip(x.min(axis=0), x.max(axis=0), strict=True)]


def can_reuse(old: TrainConfig, new: TrainConfig) -> bool:
    """Whether a Trainer built for ``old`` can run ``new`` (keeping its optimiser state)."""
    free = {"lr", "epochs", "patience", "time_limit"}
    return all(
        getattr(old, f) == getattr(new, f) for f in old.__dataclass_fields__ if f not in free
    )


def summary_metrics(metrics: dict[str, Any], article: bool = True) -> str:
    """A short text of the test metrics for the status bar, e.g. "test RMSE 0.12, 0.3", with
    the article's loss (``article``: the formulas' data) or else R²; a classifier's test
    accuracy and log loss."""
    test = metrics.get("test")
    if not test:
        return ""
    if "accuracy" in test:
        return f"test accuracy {test['accuracy']:.1%} · test log loss {test['log_loss']:.4g}"
    rmse = ", ".join(f"{v:.4g}" for v in test["rmse"])
    if not article:
        return f"test RMSE {rmse} · test R² {', '.join(f'{v:.3f}' for v in test['r2'])}"
    return f"test RMSE {rmse} · test seed loss {test['seed_loss']:.5g}"


def trainer_for(session: Session, kept: Trainer | None, config: TrainConfig) -> Trainer:
    """A trainer for the next run: ``kept`` (whose optimiser state carries on) if it fits
    ``config``, else a new one on copies of the session's network and history."""
    if kept is not None and can_reuse(kept.config, config):
        kept.config = config
        kept.set_learning_rate(config.lr)
        return kept
    dtype = np.dtype(config.dtype)
    net = session.network
    net = net.copy() if net.dtype == dtype else net.astype(dtype.type)
    history = copy_history(session.history)
    return Trainer(net, session.dataset, config, history, session.weights_epoch)


def metrics_text(
    epoch: int | None, train: float, val: float, test: float, extra: str = "",
    trained: int | None = None,
) -> str:  # fmt: skip
    """The status bar's metrics: "epoch 1,000 · train loss 0.74 · test loss 0.73 · …".

    ``trained``: the epochs trained when the weights shown are those of an earlier ``epoch``.
    """
    if epoch is None:
        return "No epochs trained yet"
    kept = f" (kept weights; {trained:,} trained)" if trained not in (None, epoch) else ""
    parts = [f"epoch {epoch:,}{kept}", f"train loss {train:.5g}"]
    if not np.isnan(val):
        parts.append(f"validation loss {val:.5g}")
    parts += [f"test loss {test:.5g}", extra]
    return " · ".join(p for p in parts if p)


def session_metrics(
    session: Session | None, epoch: int | None = None, train: float = np.nan,
    val: float = np.nan, test: float = np.nan, full: bool = False, accuracy: float = np.nan,
) -> str:  # fmt: skip
    """The status line's metrics: of the latest report (``epoch``, its losses and a
    classifier's test ``accuracy``), or with ``full`` (or no epoch) the final metrics of the
    weights the network holds (perhaps an earlier epoch's, restored), as ``nngui info``
    reports them."""
    if session is None or not (session.trained or epoch is not None):
        return metrics_text(None, train, val, test)
    if epoch is not None and not full:
        extra = f"test accuracy {accuracy:.1%}" if np.isfinite(accuracy) else ""
        return metrics_text(epoch, train, val, test, extra)
    metrics = session.model(None).metrics
    train, val, test = (metrics.get(k, {}).get("loss", np.nan) for k in SPLITS)
    return metrics_text(
        session.kept_epoch, train, val, test,
        summary_metrics(metrics, isinstance(session.dataset.spec, DataSpec)),
        trained=session.history.epochs,
    )  # fmt: skip
