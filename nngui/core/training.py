"""The training loop: TrainConfig, History and a resumable Trainer.

Progress leaves the loop as typed values: ``Trainer.iter_run`` is a generator that yields a
Progress at most every ``report_interval`` seconds (and once at the end) and returns the
RunResult; ``Trainer.run`` drives it and calls ``on_progress(progress)``. ``should_stop()`` is
checked between steps. The loop never imports Qt; a whole run with pauses, steps and weight
snapshots is ``run_loop.run_events``, which the GUI's worker turns into signals.

Epoch bookkeeping: ``history.train_loss[k]`` is the training objective measured during epoch
k + 1 (for full-batch gradient descent: on the weights before that epoch's update, as the
article does; for minibatches: the mean over the epoch's batches). Validation and test losses
are measured after an epoch's update, at the epochs in ``history.eval_epochs`` (epoch 0 is the
untrained network), on a schedule that thins out as training goes on so that a million epochs
cost next to nothing in evaluation. A classifier's validation and test accuracy come from the
same forward pass as those losses (``history.val_accuracy`` / ``test_accuracy``; NaN for
regression).
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Generator, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from nngui.core.activations import get_activation
from nngui.core.classification import cross_entropy_of_probabilities
from nngui.core.data import Dataset, Split
from nngui.core.kernels import Backprop, augment
from nngui.core.losses import objective
from nngui.core.network import INIT_SCHEMES, Network, layer_pass
from nngui.core.optimizers import OPTIMIZER_NAMES, make_optimizer

#: A training loss this many times the first epoch's counts as diverged (see has_exploded).
EXPLOSION = 1e8
OUTCOMES = ("completed", "early_stopped", "time_limit", "diverged", "interrupted")
DTYPES = ("float64", "float32")
#: Minibatch rows are gathered in shuffled order this many rows (rounded to batches) at a time.
SHUFFLE_CHUNK_ROWS = 16384


#: How a classifier's rows are weighed in its objective.
CLASS_WEIGHTS = ("none", "balanced")


class TrainConfigError(ValueError):
    """A training setting is out of range; the message says which and what is allowed."""


@dataclass(frozen=True)
class TrainConfig:
    """Training settings. ``batch_size`` 0 means full batch; ``patience`` 0 turns early
    stopping off; ``time_limit`` 0 means no limit (seconds otherwise); ``class_weight``
    "balanced" weighs a classifier's rows by n / (K · rows of their class), so that each class
    counts alike in the objective (unbalanced data), "none" counts every row alike."""

    optimizer: str = "gd"
    lr: float = 0.01
    batch_size: int = 0
    momentum: float = 0.9
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    l2: float = 0.0
    epochs: int = 1000
    patience: int = 0
    time_limit: float = 0.0
    init: str = "he"
    dtype: str = "float64"
    shuffle_seed: int = 0
    class_weight: str = "none"

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Raise TrainConfigError if any setting is unusable (wrong types included)."""
        try:
            self._check()
        except (TypeError, ValueError, OverflowError) as exc:
            if isinstance(exc, TrainConfigError):
                raise
            raise TrainConfigError(f"training settings are malformed ({exc})") from None

    def _check(self) -> None:
        checks = [
            (
                self.optimizer in OPTIMIZER_NAMES,
                f"optimizer must be one of {', '.join(OPTIMIZER_NAMES)}",
            ),
            (np.isfinite(self.lr) and 0 < self.lr <= 10, "learning rate must be > 0 and <= 10"),
            (
                int(self.batch_size) == self.batch_size and self.batch_size >= 0,
                "batch size must be a whole number >= 0 (0 = full batch)",
            ),
            (0 <= self.momentum < 1, "momentum must be >= 0 and < 1"),
            (0 <= self.beta1 < 1 and 0 <= self.beta2 < 1, "Adam betas must be >= 0 and < 1"),
            (0 < self.eps < 1, "Adam epsilon must be > 0 and < 1"),
            (np.isfinite(self.l2) and self.l2 >= 0, "L2 weight decay must be >= 0"),
            (
                int(self.epochs) == self.epochs and 0 <= self.epochs <= 100_000_000,
                "epochs must be a whole number from 0 to 100,000,000",
            ),
            (
                int(self.patience) == self.patience and self.patience >= 0,
                "patience must be a whole number >= 0 (0 = off)",
            ),
            (
                np.isfinite(self.time_limit) and self.time_limit >= 0,
                "time limit must be >= 0 seconds (0 = none)",
            ),
            (self.init in INIT_SCHEMES, f"initialisation must be one of {', '.join(INIT_SCHEMES)}"),
            (self.dtype in DTYPES, "dtype must be float64 or float32"),
            (self.class_weight in CLASS_WEIGHTS, "class weight must be none or balanced"),
        ]
        checks.append(
            (
                isinstance(self.shuffle_seed, int | np.integer)
                and not isinstance(self.shuffle_seed, bool)
                and self.shuffle_seed >= 0,
                "shuffle seed must be a whole number >= 0",
            )
        )
        for ok, message in checks:
            if not ok:
                raise TrainConfigError(message)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary of the settings."""
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TrainConfig:
        """Build from ``to_dict`` output, ignoring unknown keys; raises TrainConfigError."""
        known = {k: d[k] for k in cls.__dataclass_fields__ if k in d}
        try:
            return cls(**known)
        except (TypeError, ValueError) as exc:
            if isinstance(exc, TrainConfigError):
                raise
            raise TrainConfigError(f"training settings are malformed ({exc})") from None


class Series:
    """A growable float64 array with amortised O(1) append (for long loss histories).

    ``Series(values)`` copies ``values``; ``Series(values, copy=False)`` adopts a 1-D float64
    array as it is (no copy, no spare room: the first append moves it into a larger buffer, so
    the adopted array itself is never written to). Loading a long history then holds it once.
    """

    def __init__(
        self, values: np.ndarray | list[float] | None = None, *, copy: bool = True
    ) -> None:
        values = np.asarray([] if values is None else values, dtype=np.float64).ravel()
        if not copy and values.flags.c_contiguous:
            self._data = values
        else:
            self._data = np.empty(max(64, len(values) + len(values) // 2))
            self._data[: len(values)] = values
        self._n = len(values)

    def append(self, value: float) -> None:
        """Append one value."""
        if self._n == len(self._data):
            grown = np.empty(max(64, 2 * len(self._data)))
            grown[: self._n] = self._data[: self._n]
            self._data = grown
        self._data[self._n] = value
        self._n += 1

    def extend(self, values: np.ndarray) -> None:
        """Append ``values`` (any shape, flattened) in one copy."""
        values = np.asarray(values, dtype=np.float64).ravel()
        if not len(values):
            return  # (an adopted array may be read-only, even for an empty write)
        need = self._n + len(values)
        if need > len(self._data):
            grown = np.empty(max(need, 2 * len(self._data)))
            grown[: self._n] = self._data[: self._n]
            self._data = grown
        self._data[self._n : need] = values
        self._n = need

    @property
    def values(self) -> np.ndarray:
        """A read-only view of the values so far."""
        v = self._data[: self._n]
        v.flags.writeable = False
        return v

    def __len__(self) -> int:
        return self._n


#: The names of History's series, in the order of its fields.
HISTORY_SERIES = (
    "train_loss", "eval_epochs", "val_loss", "test_loss", "val_accuracy", "test_accuracy",
)  # fmt: skip
#: The series measured at the evaluation epochs that older data may lack (NaN then).
ACCURACY_SERIES = ("val_accuracy", "test_accuracy")


@dataclass
class History:
    """Loss history of a network, across any number of training runs.

    train_loss : one value per epoch trained. eval_epochs, val_loss, test_loss : losses after
    those epochs (val_loss is NaN without a validation split). val_accuracy, test_accuracy :
    a classifier's fraction of rows classified right after those epochs (NaN for regression
    and for a missing split). A History made without accuracies (older data) gets NaN ones,
    one per evaluation epoch.
    """

    train_loss: Series = field(default_factory=Series)
    eval_epochs: Series = field(default_factory=Series)
    val_loss: Series = field(default_factory=Series)
    test_loss: Series = field(default_factory=Series)
    val_accuracy: Series = field(default_factory=Series)
    test_accuracy: Series = field(default_factory=Series)

    def __post_init__(self) -> None:
        n = len(self.eval_epochs)
        for name in ACCURACY_SERIES:
            if n and not len(getattr(self, name)):
                setattr(self, name, Series(np.full(n, np.nan), copy=False))

    @property
    def epochs(self) -> int:
        """Epochs trained so far."""
        return len(self.train_loss)

    def arrays(self) -> dict[str, np.ndarray]:
        """Copies of the six series (HISTORY_SERIES) as float64 arrays."""
        return {name: getattr(self, name).values.copy() for name in HISTORY_SERIES}

    @classmethod
    def from_arrays(cls, d: Mapping[str, np.ndarray], *, copy: bool = True) -> History:
        """Rebuild from ``arrays()`` output; ``copy=False`` adopts the arrays (see Series).

        The accuracies may be missing (older data): they are then NaN, one per evaluation
        epoch.
        """
        n = len(np.asarray(d["eval_epochs"]).ravel())
        return cls(*(
            Series(d[k], copy=copy) if k in d else Series(np.full(n, np.nan), copy=False)
            for k in HISTORY_SERIES
        ))  # fmt: skip


@dataclass(frozen=True)
class Progress:
    """A snapshot of training progress, made of plain values (safe to send across threads).

    The accuracies are a classifier's latest validation and test accuracy (fractions of rows
    classified right), NaN for regression or without the split.
    """

    epoch: int
    epochs_target: int
    train_loss: float
    val_loss: float
    test_loss: float
    elapsed: float
    epochs_per_second: float
    val_accuracy: float = math.nan
    test_accuracy: float = math.nan

    def seconds_left(self, time_limit: float = 0.0) -> float | None:
        """Seconds until the run ends at this speed, or at ``time_limit`` seconds of training
        (0: none) if that comes first; None while the speed is not known."""
        if self.epochs_per_second <= 0:
            return None
        left = max(0, self.epochs_target - self.epoch) / self.epochs_per_second
        if time_limit > 0:
            left = min(left, max(0.0, time_limit - self.elapsed))
        return left


@dataclass(frozen=True)
class ProgressReport:
    """What a training thread sends the window: the progress, and the history points made
    since its last report (copies: the trainer goes on appending to its own)."""

    progress: Progress
    train_loss: np.ndarray
    eval_epochs: np.ndarray
    val_loss: np.ndarray
    test_loss: np.ndarray
    val_accuracy: np.ndarray
    test_accuracy: np.ndarray


@dataclass(frozen=True)
class RunResult:
    """How a call to Trainer.run ended."""

    outcome: str
    epochs_run: int
    seconds: float
    restored_epoch: int | None
    message: str


def is_eval_epoch(epoch: int) -> bool:
    """Whether validation and test losses are measured after this epoch.

    Every epoch up to 400, then 200 to 400 points per doubling of the epoch count (the step
    is a power of two), so a million epochs cost about 2,800 evaluations.
    """
    step = 1 << max(0, (epoch // 200).bit_length() - 1)
    return epoch % step == 0


class _Evaluator:
    """Network.forward for the validation and test splits, with buffers allocated once.

    The same code as Network.forward (``network.layer_pass``: Z = A @ W + b, then the
    activation), hence the same numbers, but nothing is allocated per evaluation: evaluating
    after every epoch of a short epoch otherwise costs a good share of the epoch.
    """

    #: Buffers are made only when they hold at most this many numbers (else Network.forward).
    max_elements = 1 << 22

    def __init__(self, network: Network, rows: int) -> None:
        self.net = network
        self.rows = int(rows)
        dt = network.dtype
        self.x = np.empty((rows, network.n_inputs), dtype=dt)
        self.zs = [np.empty((rows, fan_out), dtype=dt) for _, fan_out in network.shapes()]
        self.acts = [np.empty((rows, fan_out), dtype=dt) for _, fan_out in network.shapes()]
        self.funcs = [get_activation(layer.activation) for layer in network.layers]

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Outputs (m, n_outputs) for standardised inputs x (m, n_inputs), m <= rows; the
        result is a view of a buffer, overwritten by the next call."""
        m = len(x)
        a = self.x[:m]
        np.copyto(a, x, casting="unsafe")
        for p, act, z, out in zip(self.net.params, self.funcs, self.zs, self.acts, strict=True):
            _, a = layer_pass(a, p, act, z[:m], out[:m])
        return a


class Trainer:
    """Trains a network on a data set; keeps optimiser state and history between runs.

    Resumable: ``run`` may be called again after it returns (pause / resume / continue), and
    ``set_learning_rate`` may be called from another thread between steps.
    """

    report_interval = 0.05

    def __init__(
        self,
        network: Network,
        dataset: Dataset,
        config: TrainConfig,
        history: History | None = None,
        weights_epoch: int | None = None,
    ) -> None:
        """``weights_epoch``: when resuming, the epoch the given weights are from if it is not
        the history's last (they were restored by an earlier run)."""
        self.net = network
        self.data = dataset
        self.config = config
        self.history = history if history is not None else History()
        dt = network.dtype
        self.x_train = augment(dataset.train.xs, dt)
        self.y_train = np.ascontiguousarray(dataset.train.ys, dtype=dt)
        n = len(self.x_train)
        self.batch = (
            n
            if config.batch_size in (0, None) or config.batch_size >= n
            else int(config.batch_size)
        )
        #: The objective: cross-entropy for a classification data set, else squared error.
        self.loss = "cross_entropy" if dataset.task == "classification" else "mse"
        weights = None
        if self.loss == "cross_entropy" and config.class_weight == "balanced":
            weights = balanced_weights(dataset.train.y)
        self.backprop = Backprop(network, self.batch, self.loss, weights)
        # Shuffled rows for minibatches, a whole number of batches (see _shuffled_batches).
        chunk = min(n, self.batch * max(1, SHUFFLE_CHUNK_ROWS // self.batch))
        self._x_shuffled = np.empty((chunk, self.x_train.shape[1]), dtype=dt)
        self._y_shuffled = np.empty((chunk, network.n_outputs), dtype=dt)
        self.optimizer = make_optimizer(
            config.optimizer,
            network.params,
            config.lr,
            config.momentum,
            config.beta1,
            config.beta2,
            config.eps,
        )
        self.shuffle_rng = np.random.default_rng(config.shuffle_seed)
        eval_rows = max(len(s) for s in (dataset.val, dataset.test) if s is not None)
        buffered = 2 * eval_rows * sum(network.sizes[1:])
        self._evaluator = (
            _Evaluator(network, eval_rows) if buffered <= _Evaluator.max_elements else None
        )
        held = self.history.epochs if weights_epoch is None else int(weights_epoch)
        self.best_val = np.inf
        self.best_params: list[np.ndarray] | None = None
        self.best_epoch: int | None = None
        self.good_params = network.get_params()
        self.good_epoch = held
        self.good_train = np.inf
        self._patience_from = self.history.epochs  # a resumed run's patience starts here
        # (weights, epoch after which they were evaluated, epoch to call them): see _evaluate.
        self._candidate: tuple[list[np.ndarray], int, int] | None = None
        if len(self.history.eval_epochs) == 0:
            self._evaluate(0)
            return
        self._candidate = (self.good_params, self.history.epochs, held)
        if dataset.val is not None:
            # Resuming: the weights handed over are the best known so far, so patience counts
            # from here rather than from epoch 0.
            val = self.split_loss(dataset.val)
            if np.isfinite(val):
                self.best_val, self.best_epoch = val, held
                self.best_params = self.good_params  # the same weights; never written into

    # ----- small helpers -----------------------------------------------------------------
    def set_learning_rate(self, lr: float) -> None:
        """Change the learning rate; takes effect at the next step."""
        if not (np.isfinite(lr) and lr > 0):
            raise ValueError("learning rate must be a positive number")
        self.optimizer.lr = float(lr)
        self.config = dataclasses.replace(self.config, lr=float(lr))  # what the run used last

    def split_loss(self, split: Split | None) -> float:
        """Training objective of the current network on a split (NaN if there is none)."""
        return self.split_measures(split)[0]

    def split_measures(self, split: Split | None) -> tuple[float, float]:
        """The training objective and, for a classifier, the accuracy (the fraction of rows
        whose most probable class is their class) of the current network on a split, from one
        forward pass. The accuracy is NaN for regression; both are NaN without the split."""
        if split is None or len(split) == 0:
            return float("nan"), float("nan")
        ev = self._evaluator
        classify = self.loss == "cross_entropy"
        measure = cross_entropy_of_probabilities if classify else objective
        with np.errstate(all="ignore"):
            if ev is not None and len(split) <= ev.rows:
                out = ev.forward(split.xs)  # a buffer: measured before the next forward
            else:
                out = self.net.forward(split.xs)
            loss = measure(out, split.ys)
            accuracy = class_accuracy(out, split.y) if classify else float("nan")
        return loss, accuracy

    def _evaluate(self, epoch: int) -> tuple[float, float, float, float]:
        """Measure the validation and test splits after ``epoch`` and record them; return
        (validation loss, test loss, validation accuracy, test accuracy)."""
        val, val_accuracy = self.split_measures(self.data.val)
        test, test_accuracy = self.split_measures(self.data.test)
        h = self.history
        h.eval_epochs.append(epoch)
        h.val_loss.append(val)
        h.test_loss.append(test)
        h.val_accuracy.append(val_accuracy)
        h.test_accuracy.append(test_accuracy)
        # Fallback after a divergence: the evaluated weights with the lowest training loss so
        # far. Their loss is only known after the next epoch, which starts from them (its
        # training loss is measured before its updates): they wait as the candidate till then.
        finite = np.isfinite(test) and (self.data.val is None or np.isfinite(val))
        improved = self.data.val is not None and np.isfinite(val) and val < self.best_val
        params = self.net.get_params() if finite or improved else None  # one copy serves both
        self._candidate = (params, epoch, epoch) if finite and params is not None else None
        if improved:
            self.best_val, self.best_params, self.best_epoch = val, params, epoch
        return val, test, val_accuracy, test_accuracy

    def _judge_candidate(self, loss: float, epoch: int) -> None:
        """``loss``: the training loss of the weights ``epoch`` started from. If those are the
        evaluated candidate and the best so far, they become the fallback of a divergence."""
        c, self._candidate = self._candidate, None
        if c is not None and c[1] == epoch - 1 and math.isfinite(loss) and loss <= self.good_train:
            self.good_params, self.good_epoch, self.good_train = c[0], c[2], loss

    def _apply_l2(self) -> None:
        l2 = self.config.l2
        if l2 > 0:
            for p, g in zip(self.net.params, self.backprop.grads, strict=True):
                g[:-1] += l2 * p[:-1]  # weights only, not biases

    # ----- one epoch ---------------------------------------------------------------------
    def train_epoch(self, should_stop: Callable[[], bool] | None = None) -> float:
        """Run one epoch and return its training loss (NaN/inf if training diverged)."""
        n, bs, bp = len(self.x_train), self.batch, self.backprop
        params, grads, step = self.net.params, bp.grads, self.optimizer.step
        l2 = self.config.l2 > 0
        if bs >= n:
            with np.errstate(all="ignore"):
                loss = bp.loss_and_gradients(n, self.y_train, self.x_train)
                if l2:
                    self._apply_l2()
                step(params, grads)
            return loss
        order = self.shuffle_rng.permutation(n)
        total = 0.0
        seen = 0
        with np.errstate(all="ignore"):
            for xs, ys in self._shuffled_batches(order):
                m = len(xs)
                loss = bp.loss_and_gradients(m, ys, xs)
                if l2:
                    self._apply_l2()
                step(params, grads)
                total += loss * m
                seen += m
                if not math.isfinite(loss) or (should_stop is not None and should_stop()):
                    break
        return total / seen

    def _shuffled_batches(self, order: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Yield the batches order[0:bs], order[bs:2·bs], … as (inputs, targets) views.

        Rows are gathered a chunk of many batches at a time into two buffers, so that each
        step reads contiguous memory and costs no gather call of its own.
        """
        xs_buf, ys_buf, bs = self._x_shuffled, self._y_shuffled, self.batch
        chunk = len(xs_buf)
        for c in range(0, len(order), chunk):
            rows = order[c : c + chunk]
            k = len(rows)
            # mode="clip" skips NumPy's buffering for bounds checks; rows are all valid.
            self.x_train.take(rows, axis=0, out=xs_buf[:k], mode="clip")
            self.y_train.take(rows, axis=0, out=ys_buf[:k], mode="clip")
            for start in range(0, k, bs):
                stop = min(start + bs, k)  # the last chunk may be short: no stale rows
                yield xs_buf[start:stop], ys_buf[start:stop]

    # ----- the loop ----------------------------------------------------------------------
    def run(
        self,
        epochs: int | None = None,
        on_progress: Callable[[Progress], None] | None = None,
        should_stop: Callable[[], bool] | None = None,
        time_limit: float | None = None,
        interrupt_epoch: Callable[[], bool] | None = None,
        restore_best: bool = True,
    ) -> RunResult:
        """Train ``epochs`` more epochs (default: config.epochs) or until stopped.

        ``should_stop`` is checked between epochs; ``interrupt_epoch`` (default: ``should_stop``)
        between the minibatches of an epoch, to end a long epoch early (the partial epoch counts,
        with the mean loss of the batches it ran). A caller that pauses passes a pause-aware
        ``should_stop`` and a stop-only ``interrupt_epoch``, so a pause never cuts an epoch short.
        Stops early on ``should_stop()`` ("interrupted"), the time limit ("time_limit"),
        early-stopping patience ("early_stopped") or a non-finite loss ("diverged"). When a
        validation split exists the weights with the best validation loss are restored at the
        end, whatever the reason (unless ``restore_best`` is False: a caller running one run in
        several calls restores once, with ``restore_best_weights``); after divergence the last
        finite weights are restored. ``on_progress`` gets what ``iter_run`` yields.
        """
        steps = self.iter_run(epochs, should_stop, time_limit, interrupt_epoch, restore_best)
        while True:
            try:
                progress = next(steps)
            except StopIteration as end:
                result: RunResult = end.value
                return result
            if on_progress is not None:
                on_progress(progress)

    def iter_run(
        self,
        epochs: int | None = None,
        should_stop: Callable[[], bool] | None = None,
        time_limit: float | None = None,
        interrupt_epoch: Callable[[], bool] | None = None,
        restore_best: bool = True,
        clock: Callable[[], float] = time.perf_counter,
    ) -> Generator[Progress, None, RunResult]:
        """``run`` as a generator: yields a Progress at most every ``report_interval`` seconds
        (and once at the end, if any epoch was trained) and returns the RunResult
        (``result = yield from trainer.iter_run(...)``). Arguments as for ``run``; ``clock``
        measures the seconds (the time limit, the speed, the reports' intervals).
        """
        epochs = self.config.epochs if epochs is None else int(epochs)
        limit = self.config.time_limit if time_limit is None else time_limit
        patience = self.config.patience
        h = self.history
        start_epoch = h.epochs
        target = start_epoch + epochs
        t0 = clock()
        last_report = t0
        outcome = "completed"
        val = test = val_accuracy = test_accuracy = float("nan")
        mid_epoch = should_stop if interrupt_epoch is None else interrupt_epoch
        while h.epochs < target:
            if should_stop is not None and should_stop():
                outcome = "interrupted"
                break
            loss = self.train_epoch(mid_epoch)
            h.train_loss.append(loss)
            epoch = h.epochs
            self._judge_candidate(loss, epoch)
            now = clock()
            if has_exploded(loss, h.train_loss.values[0]):
                outcome = "diverged"
                break
            due = now - last_report >= self.report_interval
            if is_eval_epoch(epoch) or due or epoch == target:
                val, test, val_accuracy, test_accuracy = self._evaluate(epoch)
                if not np.isfinite(test):
                    outcome = "diverged"
                    break
            # Epochs since the best validation loss (or since a resumed run began).
            waited = epoch - max(self.best_epoch or 0, self._patience_from)
            if self.data.val is not None and patience > 0 and waited >= patience:
                outcome = "early_stopped"
                break
            if limit and now - t0 >= limit:
                outcome = "time_limit"
                break
            if due:
                # Restart the interval even without a consumer: otherwise every later epoch
                # would be "due" and evaluated, whatever is_eval_epoch says.
                last_report = now
                yield self._progress(epoch, target, loss, (val, test, val_accuracy, test_accuracy),
                                     now - t0, start_epoch)  # fmt: skip
        restored, message = self._finish(outcome, restore_best)
        elapsed = clock() - t0
        if h.epochs > start_epoch:
            last = h.train_loss.values[-1]
            measured = (h.val_loss.values[-1], h.test_loss.values[-1],
                        h.val_accuracy.values[-1], h.test_accuracy.values[-1])  # fmt: skip
            yield self._progress(h.epochs, target, last, measured, elapsed, start_epoch)
        return RunResult(outcome, h.epochs - start_epoch, elapsed, restored, message)

    def _progress(
        self, epoch: int, target: int, loss: float,
        measured: tuple[float, float, float, float], elapsed: float, start_epoch: int,
    ) -> Progress:  # fmt: skip
        """``measured``: the latest (validation loss, test loss, validation accuracy, test
        accuracy)."""
        rate = (epoch - start_epoch) / elapsed if elapsed > 0 else 0.0
        val, test, val_accuracy, test_accuracy = (float(v) for v in measured)
        return Progress(epoch, target, float(loss), val, test, elapsed, rate,
                        val_accuracy, test_accuracy)  # fmt: skip

    def restore_best_weights(self) -> int | None:
        """Put back the weights with the best validation loss; their epoch, or None when the
        network already holds them (or there is no validation split)."""
        if self.best_params is None or self.best_epoch == self.history.epochs:
            return None
        self.net.set_params(self.best_params)
        return self.best_epoch

    def _finish(self, outcome: str, restore_best: bool) -> tuple[int | None, str]:
        """Put back the weights the run keeps and evaluate its last epoch; return the epoch of
        the weights restored (None: none were) and what the run says about them."""
        h = self.history
        restored = None
        message = ""
        if outcome == "diverged":
            source = self.best_params if self.best_params is not None else self.good_params
            restored = self.best_epoch if self.best_params is not None else self.good_epoch
            self.net.set_params(source)
            message = (
                f"training diverged at epoch {h.epochs} (the loss became infinite, NaN or more "
                f"than {EXPLOSION:.0e} times its first value); "
                f"restored the weights of epoch {restored}. Try a smaller learning rate."
            )
        elif restore_best and (restored := self.restore_best_weights()) is not None:
            message = kept_message(restored)
        if (
            h.eval_epochs.values.size
            and h.eval_epochs.values[-1] != h.epochs
            and outcome != "diverged"
        ):
            self._evaluate(h.epochs)
        return restored, message


def balanced_weights(y: np.ndarray) -> np.ndarray:
    """Per class, n / (K · rows of the class) for coded targets ``y`` (0/1 or one-hot); a
    class with no training row gets weight 0."""
    counts = (np.array([len(y) - y[:, 0].sum(), y[:, 0].sum()]) if y.shape[1] == 1
              else y.sum(axis=0))  # fmt: skip
    k = len(counts)
    with np.errstate(divide="ignore"):
        out: np.ndarray = np.where(counts > 0, len(y) / (k * np.maximum(counts, 1)), 0.0)
    return out


def class_accuracy(p: np.ndarray, y: np.ndarray) -> float:
    """The fraction of rows whose predicted class is their class, for the output layer's
    probabilities ``p`` and coded targets ``y`` (both (n, 1) for one sigmoid output, where the
    prediction is the second class when p >= 0.5; (n, K) one-hot for softmax, where it is the
    most probable class); NaN for no rows."""
    if not len(p):
        return float("nan")
    if p.shape[1] == 1:
        hits = (p[:, 0] >= 0.5) == (y[:, 0] > 0.5)
    else:
        hits = np.argmax(p, axis=1) == np.argmax(y, axis=1)
    return float(np.count_nonzero(hits)) / len(hits)


def has_exploded(loss: float, first: float) -> bool:
    """Whether a training loss means divergence: not finite, or more than EXPLOSION times the
    first epoch's loss (a run that keeps growing that far never comes back; it would only
    reach infinity later, after thousands of useless epochs). A first loss below 0.01 counts
    as 0.01: a model trained close to zero may spike far above it and recover."""
    return not math.isfinite(loss) or loss > EXPLOSION * max(first, 0.01)


def weights_epoch_after(result: RunResult, before: int | None) -> int | None:
    """The epoch of the weights a run leaves (None: its last epoch's), given that of the
    weights it started from: the epoch it restored, else ``before`` if it trained none."""
    if result.restored_epoch is not None:
        return result.restored_epoch
    return before if result.epochs_run == 0 else None


def kept_message(epoch: int) -> str:
    """What a run says when it restored the best validation weights of ``epoch``."""
    return f"kept the weights of epoch {epoch:,}, which had the best validation loss"


def train(
    network: Network,
    dataset: Dataset,
    config: TrainConfig,
    on_progress: Callable[[Progress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> tuple[History, RunResult]:
    """Train ``network`` in place for config.epochs epochs; return its history and outcome."""
    trainer = Trainer(network, dataset, config)
    result = trainer.run(on_progress=on_progress, should_stop=should_stop)
    return trainer.history, result
