"""The training objective and the metrics reported to people.

- ``objective``: what training minimises, 0.5 × mean over samples of the squared error summed
  over outputs (standardised units). Its gradient with respect to Ŷ is (Ŷ − Y) / n: the article's.
- ``seed_loss``: the article's reported loss, mean over samples of the L2 norm (over outputs)
  of 0.5·(Ŷ − Y)², in standardised units; kept for comparison with the article.
- ``regression_metrics``: per output in original units: MSE, RMSE, MAE, R², max error.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

METRIC_NAMES = ("mse", "rmse", "mae", "r2", "max_error")


def objective(yhat: np.ndarray, y: np.ndarray) -> float:
    """0.5 · mean over rows of Σ over columns (ŷ − y)²; yhat, y of shape (n, n_outputs)."""
    e = np.asarray(yhat, dtype=np.float64) - y
    return 0.5 * float(np.einsum("ij,ij->", e, e)) / len(e)


def seed_loss(yhat: np.ndarray, y: np.ndarray) -> float:
    """The article's reported loss: mean over rows of ‖0.5·(ŷ − y)²‖₂ across the columns."""
    e = np.asarray(yhat, dtype=np.float64) - y
    return float(np.mean(np.linalg.norm(0.5 * e * e, axis=1)))


@dataclass(frozen=True)
class RegressionMetrics:
    """Per-output metrics in original units; every field is an array of shape (n_outputs,)."""

    mse: np.ndarray
    rmse: np.ndarray
    mae: np.ndarray
    r2: np.ndarray
    max_error: np.ndarray

    def to_dict(self) -> dict[str, list[float]]:
        """JSON-ready: metric name → list of one float per output."""
        return {name: [float(v) for v in getattr(self, name)] for name in METRIC_NAMES}


def regression_metrics(yhat: np.ndarray, y: np.ndarray) -> RegressionMetrics:
    """Compute MSE, RMSE, MAE, R² and max |error| per output column (original units).

    R² = 1 − SS_res / SS_tot; a constant target column (SS_tot = 0) gets R² = 1 when the
    fit is exact and 0 otherwise.
    """
    yhat = np.asarray(yhat, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    e = yhat - y
    mse = np.mean(e * e, axis=0)
    ss_res = np.sum(e * e, axis=0)
    ss_tot = np.sum((y - y.mean(axis=0)) ** 2, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        r2 = np.where(ss_tot > 0, 1 - ss_res / np.where(ss_tot > 0, ss_tot, 1), 0.0)
    r2 = np.where((ss_tot == 0) & (ss_res == 0), 1.0, r2)
    return RegressionMetrics(
        mse=mse,
        rmse=np.sqrt(mse),
        mae=np.mean(np.abs(e), axis=0),
        r2=r2,
        max_error=np.max(np.abs(e), axis=0),
    )
