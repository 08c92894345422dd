"""Training a classifier: cross-entropy fused with a sigmoid or softmax output, in the readable
pass and the trainer's kernels alike, and a trainer that learns Playground's sets."""

from __future__ import annotations

import numpy as np
import pytest

from nngui.core.classification import Classes, classification_metrics
from nngui.core.data import Dataset, split_dataset
from nngui.core.kernels import Backprop, augment
from nngui.core.network import LayerSpec, Network
from nngui.core.playground import playground_points
from nngui.core.training import TrainConfig, Trainer


def classifier_data(x: np.ndarray, labels: np.ndarray, names: tuple[str, ...]) -> Dataset:
    """A classification Dataset: inputs standardised by train-set scalers, targets coded."""
    classes = Classes(names)
    y = classes.targets(classes.index([str(v) for v in labels]))
    order = np.random.RandomState(0).permutation(len(x))
    return split_dataset(None, x[order], y[order], len(x) // 2, 0, ("x1", "x2"), ("label",),
                         task="classification", classes=names)  # fmt: skip


def three_clouds(n: int = 300) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.RandomState(1)
    centres = np.array([[0.0, 3.0], [3.0, -2.0], [-3.0, -2.0]])
    labels = np.arange(n) % 3
    return centres[labels] + rng.normal(0, 0.6, (n, 2)), labels


@pytest.mark.parametrize("k", [2, 3])
def test_the_kernels_and_the_readable_pass_give_the_same_loss_and_gradients(k):
    rng = np.random.RandomState(k)
    out = LayerSpec(1, "sigmoid") if k == 2 else LayerSpec(k, "softmax")
    net = Network.initialise(3, [LayerSpec(5, "tanh"), out], rng)
    x = rng.normal(size=(9, 3))
    labels = rng.randint(0, k, 9)
    y = labels[:, None].astype(float) if k == 2 else np.eye(k)[labels]
    loss, grads = net.gradients(x, y, loss="cross_entropy")
    bp = Backprop(net, 9, "cross_entropy")
    assert bp.loss_and_gradients(9, y, augment(x)) == pytest.approx(loss)
    for mine, theirs in zip(bp.grads, grads, strict=True):
        assert np.allclose(mine, theirs)
    # and both against finite differences of the loss
    h = 1e-6
    flat = net.param_vector
    numeric = np.zeros_like(flat)
    for i in range(len(flat)):
        keep = flat[i]
        flat[i] = keep + h
        up = net.gradients(x, y, loss="cross_entropy")[0]
        flat[i] = keep - h
        down = net.gradients(x, y, loss="cross_entropy")[0]
        flat[i] = keep
        numeric[i] = (up - down) / (2 * h)
    assert np.allclose(bp.grad_vector, numeric, atol=1e-7)


def test_cross_entropy_needs_an_output_it_can_be_fused_with():
    net = Network.initialise(2, [LayerSpec(3, "linear")], np.random.RandomState(0))
    with pytest.raises(ValueError, match=r"one sigmoid output .* or a softmax output"):
        Backprop(net, 4, "cross_entropy")
    with pytest.raises(ValueError, match="loss must be one of"):
        Backprop(net, 4, "hinge")


@pytest.mark.parametrize("name", ["circle", "xor", "gauss"])
def test_a_trainer_learns_playgrounds_two_class_sets(name):
    x, labels = playground_points(name, 400, 0.0, seed=0)
    ds = classifier_data(x, labels.astype(int), ("-1", "1"))
    net = Network.initialise(2, [LayerSpec(8, "tanh"), LayerSpec(1, "sigmoid")],
                             np.random.RandomState(0), "xavier")  # fmt: skip
    config = TrainConfig(optimizer="adam", lr=0.03, batch_size=32, epochs=150, init="xavier")
    trainer = Trainer(net, ds, config)
    trainer.run(150)
    p = net.forward(ds.test.xs)
    classes = Classes(("-1", "1"))
    metrics = classification_metrics(classes.class_probabilities(p), ds.test.y[:, 0].astype(int), 2)
    assert metrics.accuracy >= 0.95, (name, metrics.accuracy)
    h = trainer.history
    assert h.train_loss.values[-1] < h.train_loss.values[0] / 4
    assert np.isfinite(h.test_loss.values).all()


def test_a_softmax_trainer_learns_three_classes():
    x, labels = three_clouds()
    ds = classifier_data(x, labels, ("0", "1", "2"))
    net = Network.initialise(2, [LayerSpec(8, "relu"), LayerSpec(3, "softmax")],
                             np.random.RandomState(0))  # fmt: skip
    trainer = Trainer(net, ds, TrainConfig(optimizer="adam", lr=0.02, batch_size=32, epochs=80))
    trainer.run(80)
    p = net.forward(ds.test.xs)
    metrics = classification_metrics(p, ds.test.y.argmax(axis=1), 3)
    assert metrics.accuracy >= 0.97 and metrics.confusion.sum() == len(ds.test)


@pytest.mark.parametrize("k", [2, 3])
def test_balanced_class_weights_weigh_rows_alike_in_kernels_and_the_readable_pass(k):
    from nngui.core.training import balanced_weights

    rng = np.random.RandomState(k)
    out = LayerSpec(1, "sigmoid") if k == 2 else LayerSpec(k, "softmax")
    net = Network.initialise(2, [LayerSpec(4, "tanh"), out], rng)
    x = rng.normal(size=(10, 2))
    labels = np.array([0] * 7 + [1] * 3) if k == 2 else np.array([0] * 6 + [1] * 3 + [2])
    y = labels[:, None].astype(float) if k == 2 else np.eye(k)[labels]
    weights = balanced_weights(y)
    counts = np.bincount(labels, minlength=k)
    assert weights == pytest.approx(10 / (k * counts))
    loss, grads = net.gradients(x, y, "cross_entropy", weights)
    bp = Backprop(net, 10, "cross_entropy", weights)
    assert bp.loss_and_gradients(10, y, augment(x)) == pytest.approx(loss)
    for mine, theirs in zip(bp.grads, grads, strict=True):
        assert np.allclose(mine, theirs)
    plain, _ = net.gradients(x, y, "cross_entropy")
    assert loss != pytest.approx(plain)


def test_balanced_weights_find_the_rare_class():
    rng = np.random.RandomState(4)
    x = rng.normal(size=(400, 2))
    labels = ((x[:, 0] > 1.2) & (x[:, 1] > 0)).astype(int)  # about 6 % positive
    ds = classifier_data(x, labels, ("0", "1"))
    recalls = {}
    for weight in ("none", "balanced"):
        net = Network.initialise(2, [LayerSpec(8, "tanh"), LayerSpec(1, "sigmoid")],
                                 np.random.RandomState(0), "xavier")  # fmt: skip
        config = TrainConfig(optimizer="adam", lr=0.01, batch_size=32, epochs=40,
                             class_weight=weight)  # fmt: skip
        Trainer(net, ds, config).run(40)
        p = Classes(("0", "1")).class_probabilities(net.forward(ds.test.xs))
        recalls[weight] = classification_metrics(p, ds.test.y[:, 0].astype(int), 2).recall[1]
    assert recalls["balanced"] >= recalls["none"] and recalls["balanced"] >= 0.8
