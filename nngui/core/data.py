"""Data generation: a DataSpec describes a data set, make_dataset draws it and splits it.

The default spec is the seed article's: inputs a, b uniform in [0, 100), targets a+b, a-b, |a-b|,
10,000 samples, the first 70 % for training and the rest for testing, seed 42. The draw order is
the article's, so that one ``RandomState(42)`` stream gives the data and then the weights.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from nngui.core.scaling import Scaler

if TYPE_CHECKING:
    from nngui.core.csv_source import CsvSpec
    from nngui.core.playground_source import PlaygroundSpec

INPUT_NAMES = ("a", "b")

#: Target formulas by name: each maps the inputs (a, b) to one output column.
TARGETS: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "a+b": lambda a, b: a + b,
    "a-b": lambda a, b: a - b,
    "|a-b|": lambda a, b: np.abs(a - b),
    "a*b": lambda a, b: a * b,
    "max(a,b)": lambda a, b: np.maximum(a, b),
    "min(a,b)": lambda a, b: np.minimum(a, b),
}

SEED_TARGETS = ("a+b", "a-b", "|a-b|")
MAX_SAMPLES = 10_000_000
#: The largest input magnitude and noise: a*b of such inputs, squared for the scalers, stays finite.
MAX_MAGNITUDE = 1e30


class DataSpecError(ValueError):
    """A data setting is out of range; the message says which and what is allowed."""


@dataclass(frozen=True)
class DataSpec:
    """Everything needed to regenerate a data set exactly.

    ``ranges`` holds one ``(low, high)`` pair per input; ``targets`` names formulas in TARGETS;
    ``noise`` is the standard deviation of Gaussian noise added to the targets (original units);
    ``train_ratio`` is the leading share used for training (the rest is the test set) and
    ``val_ratio`` the trailing share of the training part held out for validation.
    """

    samples: int = 10_000
    ranges: tuple[tuple[float, float], ...] = ((0.0, 100.0), (0.0, 100.0))
    targets: tuple[str, ...] = SEED_TARGETS
    noise: float = 0.0
    train_ratio: float = 0.7
    val_ratio: float = 0.0
    seed: int = 42

    def __post_init__(self) -> None:
        # Malformed values (a range that is not a pair of numbers, a number given as text…)
        # raise DataSpecError like any other bad setting, not a bare TypeError or ValueError.
        try:
            ranges = tuple((float(lo), float(hi)) for lo, hi in self.ranges)
        except (TypeError, ValueError):
            raise DataSpecError("each range must be a (low, high) pair of numbers") from None
        try:
            targets = tuple(self.targets)
        except TypeError:
            raise DataSpecError("targets must be a sequence of target names") from None
        object.__setattr__(self, "ranges", ranges)
        object.__setattr__(self, "targets", targets)
        try:
            self.validate()
        except TypeError as exc:
            raise DataSpecError(f"data settings are malformed ({exc})") from None

    def validate(self) -> None:
        """Raise DataSpecError if any setting is unusable."""
        if not isinstance(self.samples, int | np.integer) or not 10 <= self.samples <= MAX_SAMPLES:
            raise DataSpecError(f"samples must be a whole number from 10 to {MAX_SAMPLES:,}")
        if len(self.ranges) != len(INPUT_NAMES):
            raise DataSpecError(f"give one (low, high) range per input ({len(INPUT_NAMES)})")
        for name, (lo, hi) in zip(INPUT_NAMES, self.ranges, strict=True):
            if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
                raise DataSpecError(
                    f"range of {name} must be finite with low < high, got {lo}, {hi}"
                )
            if max(abs(lo), abs(hi)) > MAX_MAGNITUDE:
                raise DataSpecError(
                    f"range of {name} must lie within ±{MAX_MAGNITUDE:g} (larger values "
                    f"overflow the targets' squares), got {lo}, {hi}"
                )
        if not self.targets:
            raise DataSpecError("choose at least one target")
        unknown = [t for t in self.targets if t not in TARGETS]
        if unknown:
            raise DataSpecError(f"unknown target {unknown[0]!r}; choose from {', '.join(TARGETS)}")
        if len(set(self.targets)) != len(self.targets):
            raise DataSpecError("each target may be chosen once")
        if not (np.isfinite(self.noise) and 0 <= self.noise <= MAX_MAGNITUDE):
            raise DataSpecError(f"noise must be a number from 0 to {MAX_MAGNITUDE:g}")
        if not 0.05 <= self.train_ratio <= 0.95:
            raise DataSpecError("train ratio must be between 0.05 and 0.95")
        if not 0.0 <= self.val_ratio <= 0.5:
            raise DataSpecError("validation ratio must be between 0 and 0.5")
        if not isinstance(self.seed, int | np.integer) or not 0 <= self.seed < 2**32:
            raise DataSpecError("seed must be a whole number from 0 to 4294967295")
        n_train, n_val, n_test = self.split_sizes()
        if min(n_train, n_test) < 1 or (self.val_ratio > 0 and n_val < 1):
            raise DataSpecError("too few samples for this split: every part needs at least one")

    def split_sizes(self) -> tuple[int, int, int]:
        """Return (n_train, n_val, n_test); train and validation together are the article's 70 %."""
        return split_counts(self.samples, self.train_ratio, self.val_ratio)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dictionary of the settings."""
        d = asdict(self)
        d["ranges"] = [list(r) for r in self.ranges]
        d["targets"] = list(self.targets)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DataSpec:
        """Build a spec from ``to_dict`` output; raises DataSpecError on bad values."""
        try:
            return cls(
                samples=_whole(d["samples"], "samples"),
                ranges=tuple((_real(lo), _real(hi)) for lo, hi in d["ranges"]),
                targets=tuple(_text(t) for t in d["targets"]),
                noise=_real(d.get("noise", 0.0)),
                train_ratio=_real(d.get("train_ratio", 0.7)),
                val_ratio=_real(d.get("val_ratio", 0.0)),
                seed=_whole(d.get("seed", 42), "seed"),
            )
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, DataSpecError):
                raise
            raise DataSpecError(f"data settings are incomplete or malformed ({exc})") from None


def split_counts(rows: int, train_ratio: float, val_ratio: float) -> tuple[int, int, int]:
    """(n_train, n_val, n_test) of ``rows``: the leading ``train_ratio`` is fitted on, its
    trailing ``val_ratio`` held out for validation, the rest is the test set."""
    n_fit = int(train_ratio * rows)
    n_val = round(val_ratio * n_fit)
    return n_fit - n_val, n_val, rows - n_fit


@dataclass(frozen=True)
class InputColumn:
    """How one data column enters the network: ``numeric`` as it is, ``categorical`` one-hot
    (a network input per category, in ``categories`` order)."""

    name: str
    kind: str = "numeric"
    categories: tuple[str, ...] = ()

    @property
    def encoded_names(self) -> tuple[str, ...]:
        """The network inputs it gives: its name, or ``name=category`` for each category."""
        if self.kind == "numeric":
            return (self.name,)
        return tuple(f"{self.name}={c}" for c in self.categories)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return {"name": self.name, "kind": self.kind, "categories": list(self.categories)}


def _whole(v: Any, name: str) -> int:
    """A whole number given as an int (or an integral float); anything else is refused."""
    if isinstance(v, bool) or not isinstance(v, int | float) or not np.isfinite(v) or v != int(v):
        raise DataSpecError(f"{name} must be a whole number, got {v!r}")
    return int(v)


def _real(v: Any) -> float:
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise TypeError(f"expected a number, got {v!r}")
    return float(v)


def _text(v: Any) -> str:
    if not isinstance(v, str):
        raise TypeError(f"expected a name, got {v!r}")
    return v


@dataclass
class Split:
    """One part of a data set: raw inputs and targets (original units) and standardised ones.

    x : ndarray of shape (n_samples, n_inputs); y : ndarray of shape (n_samples, n_outputs).
    """

    x: np.ndarray
    y: np.ndarray
    xs: np.ndarray = field(repr=False)
    ys: np.ndarray = field(repr=False)

    def __len__(self) -> int:
        return len(self.x)


@dataclass
class Dataset:
    """A data set: its spec (the formulas' DataSpec, a CSV file's CsvSpec or a Playground
    set's PlaygroundSpec), the train /
    validation / test splits, the scalers, the names and, for CSV data, how each column enters
    the network (``columns``; empty for the formulas' numeric inputs) and the rows it dropped."""

    spec: DataSpec | CsvSpec | PlaygroundSpec
    train: Split
    val: Split | None
    test: Split
    x_scaler: Scaler
    y_scaler: Scaler
    input_names: tuple[str, ...] = INPUT_NAMES
    output_names: tuple[str, ...] = SEED_TARGETS
    columns: tuple[InputColumn, ...] = ()
    #: Rows of a CSV file left out for missing values.
    dropped: int = 0
    #: "regression", or "classification" (the targets code ``classes``: 0/1 or one-hot).
    task: str = "regression"
    classes: tuple[str, ...] = ()

    @property
    def rows(self) -> int:
        """Rows in every split together (a CSV file's: those kept after missing values)."""
        return len(self.train) + len(self.test) + (len(self.val) if self.val is not None else 0)

    @property
    def n_inputs(self) -> int:
        """Number of input columns."""
        return len(self.input_names)

    @property
    def n_outputs(self) -> int:
        """Number of output columns."""
        return len(self.output_names)


def draw_inputs(spec: DataSpec, rng: np.random.RandomState) -> np.ndarray:
    """Draw the raw inputs, shape (samples, n_inputs), in the article's order.

    The article draws ``rand(2, n) * 100``: first every a, then every b. ``low + u * (high - low)``
    equals ``u * 100`` exactly for the default range [0, 100).
    """
    u = rng.rand(len(spec.ranges), spec.samples)
    rows = [lo + u[i] * (hi - lo) for i, (lo, hi) in enumerate(spec.ranges)]
    return np.stack(rows, axis=1)


def compute_targets(x: np.ndarray, targets: tuple[str, ...]) -> np.ndarray:
    """Evaluate the target formulas on inputs x (n, 2); returns (n, len(targets))."""
    a, b = x[:, 0], x[:, 1]
    return np.stack([TARGETS[t](a, b) for t in targets], axis=1)


def make_dataset(
    spec: DataSpec, rng: np.random.RandomState | None = None, dtype: type = np.float64
) -> Dataset:
    """Draw, split and standardise a data set.

    ``rng`` is consumed in the article's order (inputs, then noise if any), so passing the same
    stream on to weight initialisation reproduces the article. Without ``rng`` a fresh
    ``RandomState(spec.seed)`` is used. Scalers are fitted on the training split only.
    """
    if rng is None:
        rng = np.random.RandomState(spec.seed)
    x = draw_inputs(spec, rng)
    y = compute_targets(x, spec.targets)
    if spec.noise > 0:
        y = y + rng.randn(*y.shape) * spec.noise
    n_train, n_val, _ = spec.split_sizes()
    return split_dataset(spec, x, y, n_train, n_val, INPUT_NAMES, spec.targets, dtype=dtype)


def split_dataset(
    spec: DataSpec | CsvSpec | PlaygroundSpec, x: np.ndarray, y: np.ndarray, n_train: int,
    n_val: int, input_names: tuple[str, ...], output_names: tuple[str, ...],
    columns: tuple[InputColumn, ...] = (), dtype: type = np.float64, task: str = "regression",
    classes: tuple[str, ...] = (),
) -> Dataset:  # fmt: skip
    """Split rows into train (the leading ``n_train``), validation (the next ``n_val``) and
    test (the rest), standardised with scalers fitted on the training rows: the inputs always,
    the targets unless they code ``classes`` (0/1 or one-hot, kept as they are)."""
    n_fit = n_train + n_val
    x_scaler = Scaler.fit(x[:n_train])
    k = y.shape[1]
    y_scaler = Scaler(np.zeros(k), np.ones(k)) if classes else Scaler.fit(y[:n_train])

    def part(lo: int, hi: int) -> Split:
        xr, yr = x[lo:hi], y[lo:hi]
        return Split(
            x=xr,
            y=yr,
            xs=x_scaler.transform(xr).astype(dtype, copy=False),
            ys=y_scaler.transform(yr).astype(dtype, copy=False),
        )

    return Dataset(
        spec=spec, train=part(0, n_train), val=part(n_train, n_fit) if n_val else None,
        test=part(n_fit, len(x)), x_scaler=x_scaler, y_scaler=y_scaler,
        input_names=input_names, output_names=output_names, columns=columns, task=task,
        classes=classes,
    )  # fmt: skip


def true_outputs(x: np.ndarray, targets: tuple[str, ...]) -> np.ndarray:
    """The noiseless target values for raw inputs x (n, 2), for comparison with predictions."""
    return compute_targets(np.asarray(x, dtype=np.float64), targets)
