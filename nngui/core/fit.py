"""How well the network fits: predictions against the truth on each split, and the errors.

A regression plot (predicted against true, the line y = x for a perfect fit), a histogram of the
residuals (predicted − true) and a table of metrics per split and output, all in original units:
what the Fit view shows, and ``fit_table`` is what the app exports to CSV.

A diverged network predicts NaN or ±inf; every function here answers with NaN, inf or empty
arrays then, never with a warning or an exception.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nngui.core.data import Dataset
from nngui.core.losses import RegressionMetrics, regression_metrics
from nngui.core.model import Model

#: The splits in table order; "val" is the validation split (absent when its ratio is 0).
SPLITS = ("train", "val", "test")
#: The keys of a ``fit_table`` row, in column order.
FIT_COLUMNS = ("split", "output", "mse", "rmse", "mae", "r2", "max_error")


@dataclass(frozen=True)
class SplitFit:
    """The network's predictions against the truth on one split, in original units.

    split : "train", "val" or "test"; output_names : one name per output column;
    truth, predicted : ndarray of shape (n_rows, n_outputs), float64.
    """

    split: str
    output_names: tuple[str, ...]
    truth: np.ndarray
    predicted: np.ndarray

    def __len__(self) -> int:
        return len(self.truth)

    @property
    def residuals(self) -> np.ndarray:
        """predicted − truth, shape (n_rows, n_outputs); NaN or ±inf where predictions are."""
        with np.errstate(all="ignore"):
            residuals: np.ndarray = self.predicted - self.truth
        return residuals

    def metrics(self) -> RegressionMetrics:
        """MSE, RMSE, MAE, R² and max error per output over every row of the split."""
        with np.errstate(all="ignore"):
            return regression_metrics(self.predicted, self.truth)

    def rows(self) -> list[dict[str, str | float]]:
        """One ``fit_table`` row per output (keys FIT_COLUMNS; metrics as floats)."""
        m = self.metrics()
        return [
            {
                "split": self.split,
                "output": name,
                **{key: float(getattr(m, key)[j]) for key in FIT_COLUMNS[2:]},
            }
            for j, name in enumerate(self.output_names)
        ]


def split_fit(model: Model, dataset: Dataset, split: str) -> SplitFit | None:
    """Predict the raw inputs of ``dataset``'s ``split`` with ``model`` (None: no such rows).

    ``split`` is one of SPLITS. The model's own scalers are used, so a model with the data set
    it was trained on gives exactly the network's outputs in original units.
    """
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; choose from {', '.join(SPLITS)}")
    part = getattr(dataset, split)
    if part is None or len(part) == 0:
        return None
    if model.network.n_outputs != part.y.shape[1]:
        raise ValueError(
            f"the network has {model.network.n_outputs} outputs but the data set has "
            f"{part.y.shape[1]} targets"
        )
    # Huge (diverged) weights overflow to inf or NaN: an honest answer, not an error.
    with np.errstate(all="ignore"):
        predicted = model.predict(part.x)
    truth = np.asarray(part.y, dtype=np.float64)
    return SplitFit(split, tuple(dataset.output_names), truth, predicted)


def split_fits(model: Model, dataset: Dataset) -> list[SplitFit]:
    """``split_fit`` for every split that ``dataset`` has, in SPLITS order."""
    fits = (split_fit(model, dataset, name) for name in SPLITS)
    return [fit for fit in fits if fit is not None]


def fit_rows(fits: list[SplitFit]) -> list[dict[str, str | float]]:
    """The metrics table of ``fits``: one row per (split, output), keys FIT_COLUMNS."""
    return [row for fit in fits for row in fit.rows()]


def fit_table(model: Model, dataset: Dataset) -> list[dict[str, str | float]]:
    """Metrics per split and output in original units, for the Fit view and CSV export.

    One dict per (split, output) with keys FIT_COLUMNS: "split" ("train", "val", "test"; a
    split the data set lacks is skipped), "output" (its name), then the floats "mse", "rmse",
    "mae", "r2" and "max_error" over every row of the split (NaN or inf when the network's
    predictions are not finite).
    """
    return fit_rows(split_fits(model, dataset))


def sample_rows(n: int, max_points: int) -> np.ndarray:
    """Indices of at most ``max_points`` of ``n`` rows, evenly spread and always the same.

    Returns ``arange(n)`` when ``n <= max_points``; otherwise ``max_points`` distinct
    increasing indices from 0 to n − 1. The data sets are drawn in random order, so evenly
    spread rows are a fair sample.
    """
    if n <= max_points:
        return np.arange(n)
    return np.round(np.linspace(0, n - 1, max_points)).astype(np.intp)


def residual_histogram(residuals: np.ndarray, bins: int = 40) -> tuple[np.ndarray, np.ndarray]:
    """Histogram of the finite values of ``residuals`` (any shape, flattened).

    Returns (edges of shape (bins + 1,), counts of shape (bins,)) with equal-width bins from
    the smallest to the largest finite value (a single value gets a range around it);
    two empty arrays when no value is finite or the range is too wide for floats.
    """
    r = np.asarray(residuals, dtype=np.float64).ravel()
    r = r[np.isfinite(r)]
    empty = np.empty(0), np.empty(0, dtype=np.intp)
    if not len(r):
        return empty
    lo, hi = float(r.min()), float(r.max())
    if lo == hi:  # one value: a bin around it (a unit wide, or wider for huge values)
        pad = max(0.5, abs(lo) * 1e-6)
        lo, hi = lo - pad, hi + pad
    with np.errstate(all="ignore"):
        edges = np.linspace(lo, hi, bins + 1)
        usable = np.isfinite(edges).all() and np.all(np.diff(edges) > 0)
    if not usable:
        return empty
    counts, _ = np.histogram(r, bins=edges)
    return edges, counts
