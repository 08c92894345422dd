"""Cross-entropy on logits: known values, stable extremes, gradients; classes and metrics."""

from __future__ import annotations

import numpy as np
import pytest

from nngui.core.classification import (
    Classes,
    binary_cross_entropy,
    classification_metrics,
    cross_entropy,
    cross_entropy_gradient,
    probabilities,
    sigmoid,
    softmax,
    softmax_cross_entropy,
)


def test_known_values():
    assert binary_cross_entropy(np.array([[0.0]]), np.array([[1.0]])) == pytest.approx(np.log(2))
    z = np.array([[2.0, 0.0, -1.0]])
    p = np.exp(z) / np.exp(z).sum()
    assert softmax(z) == pytest.approx(p)
    assert softmax_cross_entropy(z, np.array([[0.0, 1.0, 0.0]])) == pytest.approx(-np.log(p[0, 1]))
    # two rows: the mean
    z2 = np.array([[3.0], [-2.0]])
    y2 = np.array([[1.0], [0.0]])
    expected = -(np.log(sigmoid(z2[0])) + np.log(1 - sigmoid(z2[1]))) / 2
    assert binary_cross_entropy(z2, y2) == pytest.approx(float(expected[0]))


def test_extreme_logits_stay_finite():
    z = np.array([[800.0], [-800.0]])
    assert binary_cross_entropy(z, np.array([[1.0], [0.0]])) == pytest.approx(0.0)
    assert binary_cross_entropy(z, np.array([[0.0], [1.0]])) == pytest.approx(800.0)
    zk = np.array([[1000.0, 0.0, -1000.0]])
    assert np.isfinite(softmax(zk)).all() and softmax(zk)[0, 0] == 1.0
    assert softmax_cross_entropy(zk, np.array([[0.0, 0.0, 1.0]])) == pytest.approx(2000.0)
    assert np.isfinite(sigmoid(np.array([-1000.0, 1000.0]))).all()


@pytest.mark.parametrize("k", [1, 3, 5])
def test_the_gradient_matches_finite_differences(k):
    rng = np.random.RandomState(k)
    z = rng.normal(size=(7, k)) * 2
    y = (rng.rand(7, 1) > 0.5).astype(float) if k == 1 else np.eye(k)[rng.randint(0, k, 7)]
    grad = cross_entropy_gradient(z, y)
    h = 1e-6
    numeric = np.zeros_like(z)
    for i in np.ndindex(z.shape):
        up, down = z.copy(), z.copy()
        up[i] += h
        down[i] -= h
        numeric[i] = (cross_entropy(up, y) - cross_entropy(down, y)) / (2 * h)
    assert np.allclose(grad, numeric, atol=1e-8)
    assert np.allclose(grad, (probabilities(z) - y) / 7)


def test_the_gradient_matches_pytorchs():
    torch = pytest.importorskip("torch")
    rng = np.random.RandomState(0)
    for k in (1, 4):
        z = rng.normal(size=(6, k))
        labels = rng.randint(0, 2 if k == 1 else k, 6)
        y = labels[:, None].astype(float) if k == 1 else np.eye(k)[labels]
        t = torch.tensor(z, requires_grad=True)
        if k == 1:
            loss = torch.nn.functional.binary_cross_entropy_with_logits(t, torch.tensor(y))
        else:
            loss = torch.nn.functional.cross_entropy(t, torch.tensor(labels))
        loss.backward()
        assert cross_entropy(z, y) == pytest.approx(loss.item())
        assert np.allclose(cross_entropy_gradient(z, y), t.grad.numpy())


def test_classes_code_labels_for_the_network():
    two = Classes(("-1", "1"))
    assert two.outputs == 1 and two.index(["1", "-1", 1]).tolist() == [1, 0, 1]
    assert two.targets(np.array([1, 0])).tolist() == [[1.0], [0.0]]
    assert two.class_probabilities(np.array([[0.8]])).tolist() == [[pytest.approx(0.2), 0.8]]
    three = Classes(("setosa", "versicolor", "virginica"))
    assert three.outputs == 3 and three.targets(np.array([2])).tolist() == [[0, 0, 1]]
    with pytest.raises(ValueError, match="unknown class 'rose' in row 2"):
        three.index(["setosa", "rose"])
    with pytest.raises(ValueError, match="at least two classes"):
        Classes(("one",))


def test_metrics_as_scikit_learn_reports_them():
    true = np.array([0, 0, 1, 1, 2, 2])
    p = np.eye(3)[[0, 1, 1, 1, 2, 0]] * 0.8 + 0.2 / 3
    m = classification_metrics(p, true, 3)
    assert m.accuracy == pytest.approx(4 / 6)
    assert m.confusion.tolist() == [[1, 1, 0], [0, 2, 0], [1, 0, 1]]
    assert m.precision.tolist() == pytest.approx([0.5, 2 / 3, 1.0])
    assert m.recall.tolist() == pytest.approx([0.5, 1.0, 0.5])
    assert m.f1.tolist() == pytest.approx([0.5, 0.8, 2 / 3])
    chosen = p[np.arange(6), true]
    assert m.log_loss == pytest.approx(-np.mean(np.log(chosen)))
    sk = pytest.importorskip("sklearn.metrics")
    assert m.f1 == pytest.approx(sk.f1_score(true, p.argmax(1), average=None))
    assert m.log_loss == pytest.approx(sk.log_loss(true, p))
    assert m.to_dict()["confusion"] == m.confusion.tolist()
