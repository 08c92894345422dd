"""Standardisation fitted on the training split: (v - mean) / std, undone on predictions."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Scaler:
    """Per-column mean and population standard deviation (ddof 0) of a training split.

    mean, std : ndarray of shape (n_columns,). A constant column gets std 1 so that
    transforming it gives zeros rather than a division by zero.
    """

    mean: np.ndarray
    std: np.ndarray

    @classmethod
    def fit(cls, v: np.ndarray) -> Scaler:
        """Fit on v of shape (n_samples, n_columns)."""
        mean = v.mean(axis=0)
        std = v.std(axis=0)
        std = np.where(std > 0, std, 1.0)
        return cls(mean=mean, std=std)

    def transform(self, v: np.ndarray) -> np.ndarray:
        """Standardise v (n_samples, n_columns) into a new array."""
        out: np.ndarray = (v - self.mean) / self.std
        return out

    def inverse(self, v: np.ndarray) -> np.ndarray:
        """Undo the standardisation of v (n_samples, n_columns) into a new float64 array."""
        out: np.ndarray = np.asarray(v, dtype=np.float64) * self.std + self.mean
        return out
