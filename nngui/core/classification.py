"""Classification: class labels, the cross-entropy objectives on logits, and the metrics.

K classes are coded as targets the network learns: K = 2 as one column of 0/1 (the second
class is 1) for one sigmoid output with binary cross-entropy, K > 2 as one-hot columns for a
softmax output with categorical cross-entropy. Both objectives take the output layer's
pre-activations Z (logits) and are fused with their activation, so they stay finite for any
logit (softplus and log-sum-exp) and their gradient is simply

    dL/dZ = (P − Y) / n        with P = σ(Z) or softmax(Z).

``classification_metrics`` gives what people read: accuracy, log loss, per-class precision,
recall and F1, and the confusion matrix (rows: the true class, columns: the predicted one).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

#: Probabilities are clipped this far from 0 and 1 when a log loss is computed from them.
EPS = 1e-15
#: The training objectives: squared error (regression) and cross-entropy (classification).
LOSSES = ("mse", "cross_entropy")


def softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax of logits ``z`` (n, K), computed after subtracting each row's max."""
    shifted = z - z.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    out: np.ndarray = e / e.sum(axis=1, keepdims=True)
    return out


def sigmoid(z: np.ndarray) -> np.ndarray:
    """σ(z) without overflow for large |z|."""
    out: np.ndarray = np.exp(-np.logaddexp(0.0, -z))
    return out


def softplus(z: np.ndarray) -> np.ndarray:
    """log(1 + exp(z)), finite for every finite z."""
    out: np.ndarray = np.logaddexp(0.0, z)
    return out


def binary_cross_entropy(z: np.ndarray, y: np.ndarray) -> float:
    """Mean over rows of −[y log σ(z) + (1 − y) log(1 − σ(z))] = softplus(z) − y·z, summed
    over the columns; ``z`` logits and ``y`` 0/1 targets, both (n, 1)."""
    z = np.asarray(z, dtype=np.float64)
    return float(np.sum(softplus(z) - y * z)) / len(z)


def softmax_cross_entropy(z: np.ndarray, y: np.ndarray) -> float:
    """Mean over rows of −Σ_k y_k log softmax(z)_k = logsumexp(z) − Σ_k y_k z_k; ``z`` logits
    and ``y`` one-hot targets, both (n, K)."""
    z = np.asarray(z, dtype=np.float64)
    top = z.max(axis=1, keepdims=True)
    lse = (top + np.log(np.exp(z - top).sum(axis=1, keepdims=True)))[:, 0]
    return float(np.sum(lse - np.einsum("ij,ij->i", y, z))) / len(z)


def row_cross_entropy(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Each row's cross-entropy term (n,), binary for one column, categorical for more."""
    z = np.asarray(z, dtype=np.float64)
    if z.shape[1] == 1:
        out: np.ndarray = (softplus(z) - y * z)[:, 0]
        return out
    top = z.max(axis=1, keepdims=True)
    lse = (top + np.log(np.exp(z - top).sum(axis=1, keepdims=True)))[:, 0]
    rows: np.ndarray = lse - np.einsum("ij,ij->i", y, z)
    return rows


def row_weights(y: np.ndarray, class_weights: np.ndarray) -> np.ndarray:
    """Each row's weight: the weight of its class (coded targets ``y``: 0/1 or one-hot)."""
    index = (y[:, 0] > 0.5).astype(np.int64) if y.shape[1] == 1 else np.argmax(y, axis=1)
    out: np.ndarray = class_weights[index]
    return out


def cross_entropy(z: np.ndarray, y: np.ndarray) -> float:
    """The objective for the targets' coding: binary with one column, categorical with more."""
    return binary_cross_entropy(z, y) if z.shape[1] == 1 else softmax_cross_entropy(z, y)


def probabilities(z: np.ndarray) -> np.ndarray:
    """The output layer's activation for logits ``z``: σ for one column, softmax for more."""
    return sigmoid(z) if z.shape[1] == 1 else softmax(z)


def cross_entropy_of_probabilities(p: np.ndarray, y: np.ndarray) -> float:
    """``cross_entropy`` from the output layer's activations (σ or softmax) rather than its
    logits, the probabilities clipped EPS from 0 and 1 (for evaluating a split)."""
    p = np.clip(np.asarray(p, dtype=np.float64), EPS, 1.0 - EPS)
    if p.shape[1] == 1:
        return float(-np.sum(y * np.log(p) + (1.0 - y) * np.log1p(-p))) / len(p)
    return float(-np.sum(y * np.log(p))) / len(p)


def cross_entropy_gradient(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    """dL/dZ of ``cross_entropy``: (P − Y) / n."""
    out: np.ndarray = (probabilities(z) - y) / len(z)
    return out


@dataclass(frozen=True)
class Classes:
    """The classes of a label column, in order (their index is what the network learns)."""

    names: tuple[str, ...]

    def __post_init__(self) -> None:
        if len(self.names) < 2:
            raise ValueError(f"classification needs at least two classes, got {len(self.names)}")
        if len(set(self.names)) != len(self.names):
            raise ValueError("class names must differ")

    @property
    def k(self) -> int:
        """How many classes."""
        return len(self.names)

    @property
    def outputs(self) -> int:
        """Network outputs: 1 for two classes (sigmoid), K for more (softmax)."""
        return 1 if self.k == 2 else self.k

    def index(self, labels: Sequence[object]) -> np.ndarray:
        """The class index of each label (as text); raises ValueError naming an unknown one."""
        lookup = {name: i for i, name in enumerate(self.names)}
        out = np.empty(len(labels), dtype=np.int64)
        for row, label in enumerate(labels):
            at = lookup.get(str(label))
            if at is None:
                known = ", ".join(self.names)
                raise ValueError(f"unknown class {label!r} in row {row + 1}; the classes: {known}")
            out[row] = at
        return out

    def targets(self, index: np.ndarray) -> np.ndarray:
        """What the network learns for class indices ``index``: (n, 1) of 0/1, or one-hot."""
        if self.k == 2:
            return index.astype(np.float64)[:, None]
        one_hot: np.ndarray = np.eye(self.k)[index]
        return one_hot

    def class_probabilities(self, p: np.ndarray) -> np.ndarray:
        """(n, K) class probabilities from the network's outputs (n, 1) or (n, K)."""
        if self.k == 2:
            out: np.ndarray = np.column_stack([1.0 - p[:, 0], p[:, 0]])
            return out
        return p


@dataclass(frozen=True)
class ClassificationMetrics:
    """Accuracy, log loss, per-class precision, recall and F1, and the confusion matrix."""

    accuracy: float
    log_loss: float
    precision: np.ndarray
    recall: np.ndarray
    f1: np.ndarray
    confusion: np.ndarray

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: lists per class in the order of the classes."""
        return {
            "accuracy": self.accuracy, "log_loss": self.log_loss,
            "precision": [float(v) for v in self.precision],
            "recall": [float(v) for v in self.recall], "f1": [float(v) for v in self.f1],
            "confusion": [[int(v) for v in row] for row in self.confusion],
        }  # fmt: skip


def classification_metrics(
    class_p: np.ndarray, true_index: np.ndarray, k: int
) -> ClassificationMetrics:
    """Metrics of class probabilities ``class_p`` (n, K) against true class indices.

    The predicted class is the most probable one. Precision and recall of a class no row was
    predicted as (or truly is) are 0, and so is its F1, as scikit-learn reports them.
    """
    predicted = np.argmax(class_p, axis=1)
    confusion = np.zeros((k, k), dtype=np.int64)
    np.add.at(confusion, (true_index, predicted), 1)
    hits = np.diag(confusion).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(confusion.sum(axis=0) > 0, hits / confusion.sum(axis=0), 0.0)
        recall = np.where(confusion.sum(axis=1) > 0, hits / confusion.sum(axis=1), 0.0)
        f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0.0)
    chosen = np.clip(class_p[np.arange(len(true_index)), true_index], EPS, 1.0)
    return ClassificationMetrics(
        accuracy=float(np.mean(predicted == true_index)) if len(true_index) else float("nan"),
        log_loss=float(-np.mean(np.log(chosen))) if len(true_index) else float("nan"),
        precision=precision, recall=recall, f1=f1, confusion=confusion,
    )  # fmt: skip
