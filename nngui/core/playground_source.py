"""A data set drawn from one of TensorFlow Playground's recipes, with its input features.

A PlaygroundSpec says which set (``core.playground``), how many points, the noise (0 to 0.5),
the seed, the input features computed from x1 and x2 (as Playground offers them: x1, x2, x1²,
x2², x1·x2, sin x1, sin x2) and the split (Playground's default: half the points to train).
Classification sets give a ``label`` column with the classes ``-1`` and ``1`` (coded 0 and 1
for the network's one sigmoid output, and never standardised); regression sets give ``label``
as a number, standardised like any target. Points are shuffled with the seed before the split
(the generators draw one class, then the other).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from nngui.core.classification import Classes
from nngui.core.data import Dataset, DataSpecError, split_counts, split_dataset
from nngui.core.playground import CLASSIFICATION_SETS, MAX_NOISE, PLAYGROUND_SETS, playground_points

#: Input features by name, computed from the points' x1 and x2.
FEATURES = {
    "x1": lambda x1, x2: x1, "x2": lambda x1, x2: x2, "x1^2": lambda x1, x2: x1 * x1,
    "x2^2": lambda x1, x2: x2 * x2, "x1x2": lambda x1, x2: x1 * x2,
    "sin_x1": lambda x1, x2: np.sin(x1), "sin_x2": lambda x1, x2: np.sin(x2),
}  # fmt: skip
#: Playground's two classes, as its labels read.
PLAYGROUND_CLASSES = ("-1", "1")
MAX_POINTS = 1_000_000
LABEL = "label"


@dataclass(frozen=True)
class PlaygroundSpec:
    """Everything needed to draw a Playground data set again (see the module docstring)."""

    dataset: str = "circle"
    points: int = 500
    noise: float = 0.0
    seed: int = 0
    features: tuple[str, ...] = ("x1", "x2")
    train_ratio: float = 0.5
    val_ratio: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "features", tuple(self.features))
        if self.dataset not in PLAYGROUND_SETS:
            raise DataSpecError(
                f"no data set called {self.dataset!r}; choose from {', '.join(PLAYGROUND_SETS)}"
            )
        if not isinstance(self.points, int) or not 10 <= self.points <= MAX_POINTS:
            raise DataSpecError(f"points must be a whole number from 10 to {MAX_POINTS:,}")
        if not (isinstance(self.noise, int | float) and math.isfinite(self.noise)) or not (
            0.0 <= self.noise <= MAX_NOISE
        ):
            raise DataSpecError(f"noise must be from 0 to {MAX_NOISE:g} (0 to 50 %)")
        if not isinstance(self.seed, int) or not 0 <= self.seed < 2**32:
            raise DataSpecError("seed must be a whole number from 0 to 4294967295")
        unknown = [f for f in self.features if f not in FEATURES]
        if unknown:
            raise DataSpecError(
                f"unknown feature {unknown[0]!r}; choose from {', '.join(FEATURES)}"
            )
        if not self.features or len(set(self.features)) != len(self.features):
            raise DataSpecError("choose one or more different features")
        if not 0.05 <= self.train_ratio <= 0.95:
            raise DataSpecError("train ratio must be between 0.05 and 0.95")
        if not 0.0 <= self.val_ratio <= 0.5:
            raise DataSpecError("validation ratio must be between 0 and 0.5")
        n_train, n_val, n_test = split_counts(self.points, self.train_ratio, self.val_ratio)
        if min(n_train, n_test) < 1 or (self.val_ratio > 0 and n_val < 1):
            raise DataSpecError("too few points for this split: every part needs at least one")

    @property
    def task(self) -> str:
        """ "classification" for circle, xor, gauss and spiral, else "regression"."""
        return "classification" if self.dataset in CLASSIFICATION_SETS else "regression"

    @property
    def targets(self) -> tuple[str, ...]:
        """The one target column."""
        return (LABEL,)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready settings (``source: "playground"``)."""
        return {
            "source": "playground", "dataset": self.dataset, "points": self.points,
            "noise": self.noise, "seed": self.seed, "features": list(self.features),
            "train_ratio": self.train_ratio, "val_ratio": self.val_ratio,
        }  # fmt: skip

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> PlaygroundSpec:
        """Settings from ``to_dict``; raises DataSpecError on bad values."""
        try:
            return cls(
                dataset=str(d["dataset"]), points=int(d["points"]), noise=float(d["noise"]),
                seed=int(d["seed"]), features=tuple(str(f) for f in d["features"]),
                train_ratio=float(d["train_ratio"]), val_ratio=float(d["val_ratio"]),
            )  # fmt: skip
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, DataSpecError):
                raise
            raise DataSpecError(f"data set settings are incomplete or malformed ({exc})") from None


def feature_matrix(points: np.ndarray, features: tuple[str, ...]) -> np.ndarray:
    """The input features of points (n, 2) of x1, x2, one column per feature."""
    x1, x2 = points[:, 0], points[:, 1]
    out: np.ndarray = np.column_stack([FEATURES[f](x1, x2) for f in features])
    return out


def make_playground_dataset(spec: PlaygroundSpec, dtype: type = np.float64) -> Dataset:
    """Draw the points of ``spec``, shuffle, split and standardise them (labels as classes)."""
    points, label = playground_points(spec.dataset, spec.points, spec.noise, spec.seed)
    order = np.random.RandomState(spec.seed).permutation(len(points))
    x = feature_matrix(points[order], spec.features)
    label = label[order]
    classes: tuple[str, ...] = ()
    if spec.task == "classification":
        codes = Classes(PLAYGROUND_CLASSES)
        y = codes.targets((label > 0).astype(np.int64))
        classes = codes.names
    else:
        y = label[:, None]
    n_train, n_val, _ = split_counts(len(x), spec.train_ratio, spec.val_ratio)
    return split_dataset(spec, x, y, n_train, n_val, spec.features, (LABEL,), dtype=dtype,
                         task=spec.task, classes=classes)  # fmt: skip
