"""nngui reproduces the seed article exactly.

An independent reference implementation, written from SEED_NOTES.md in the article's column
layout (one sample per column, W of shape (out, in), b of shape (out, 1)), is compared with
nngui's data, initialisation and training loop, number by number. The reference figures of the
notes (test loss 3.5916 before training, 0.56108 after 1,000 epochs, 0.47625 after 10,000) are
checked through both.
"""

from __future__ import annotations

import numpy as np
import pytest

from nngui.core.data import DataSpec, make_dataset
from nngui.core.losses import seed_loss
from nngui.core.network import Network, seed_layers
from nngui.core.training import TrainConfig, Trainer

LOSS_BEFORE = 3.5916
LOSS_1000 = 0.56108
LOSS_10000 = 0.47625


class Reference:
    """The article's network, step by step, in its own layout (columns are samples)."""

    def __init__(self) -> None:
        rng = np.random.RandomState(42)  # step 1: one stream for data, then weights
        X = rng.rand(2, 10000) * 100  # step 2: row 0 is a, row 1 is b
        a, b = X
        Y = np.vstack([a + b, a - b, np.abs(a - b)])
        n_train = int(0.7 * 10000)  # step 3: first 70 % train, no shuffle
        X_train, X_test = X[:, :n_train], X[:, n_train:]
        Y_train, Y_test = Y[:, :n_train], Y[:, n_train:]
        # step 4: scalers from the training part only, population std (ddof 0)
        self.x_mean = X_train.mean(axis=1, keepdims=True)
        self.x_std = X_train.std(axis=1, keepdims=True)
        self.y_mean = Y_train.mean(axis=1, keepdims=True)
        self.y_std = Y_train.std(axis=1, keepdims=True)
        self.X_raw, self.Y_raw = X, Y
        self.X_train = (X_train - self.x_mean) / self.x_std
        self.X_test = (X_test - self.x_mean) / self.x_std
        self.Y_train = (Y_train - self.y_mean) / self.y_std
        self.Y_test = (Y_test - self.y_mean) / self.y_std
        # step 5: layers [2, 4, 4, 3], He init drawn layer by layer, W before b
        self.sizes = [2, 4, 4, 3]
        self.W: list[np.ndarray] = []
        self.b: list[np.ndarray] = []
        for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:], strict=True):
            self.W.append(rng.randn(n_out, n_in) * np.sqrt(2 / n_in))
            self.b.append(rng.randn(n_out, 1) * np.sqrt(2 / n_in))

    def forward(self, X: np.ndarray) -> list[np.ndarray]:
        """Step 6: activations of every layer, the input first."""
        A = [X]
        for l, (W, b) in enumerate(zip(self.W, self.b, strict=True)):
            Z = W @ A[-1] + b
            A.append(Z if l == len(self.W) - 1 else np.maximum(Z, 0))
        return A

    def epoch(self, lr: float = 0.01) -> None:
        """Steps 7 and 8: one full-batch backward pass and gradient-descent update."""
        A = self.forward(self.X_train)
        n = self.X_train.shape[1]
        dZ = A[-1] - self.Y_train
        dWs, dbs = [], []
        for l in range(len(self.W) - 1, -1, -1):
            dWs.append(dZ @ A[l].T / n)
            dbs.append(dZ.sum(axis=1, keepdims=True) / n)
            if l > 0:
                dZ = (self.W[l].T @ dZ) * (A[l] > 0)
        for l, (dW, db) in enumerate(zip(reversed(dWs), reversed(dbs), strict=True)):
            self.W[l] -= lr * dW
            self.b[l] -= lr * db

    def test_loss(self) -> float:
        """Step 9: mean over samples of the L2 norm (over outputs) of 0.5 * (Ŷ − Y)²."""
        E = self.forward(self.X_test)[-1] - self.Y_test
        return float(np.mean(np.linalg.norm(0.5 * E**2, axis=0)))


def nngui_setup() -> tuple[Network, Trainer]:
    """The same set-up through nngui: one RandomState(42) stream for data, then weights."""
    rng = np.random.RandomState(42)
    ds = make_dataset(DataSpec(), rng)
    net = Network.initialise(ds.n_inputs, seed_layers(3), rng)
    return net, Trainer(net, ds, TrainConfig())


def nngui_test_loss(trainer: Trainer) -> float:
    return seed_loss(trainer.net.forward(trainer.data.test.xs), trainer.data.test.ys)


def assert_same_weights(net: Network, ref: Reference, rtol: float) -> None:
    for l in range(len(ref.W)):
        np.testing.assert_allclose(net.weights[l], ref.W[l].T, rtol=rtol, atol=0)
        np.testing.assert_allclose(net.biases[l], ref.b[l][:, 0], rtol=rtol, atol=0)


@pytest.fixture(scope="module")
def ref() -> Reference:
    return Reference()


def test_data_and_scalers_match_reference(ref: Reference) -> None:
    ds = make_dataset(DataSpec())
    assert (len(ds.train), len(ds.test), ds.val) == (7000, 3000, None)
    np.testing.assert_allclose(np.vstack([ds.train.x, ds.test.x]).T, ref.X_raw, rtol=1e-12)
    np.testing.assert_allclose(np.vstack([ds.train.y, ds.test.y]).T, ref.Y_raw, rtol=1e-12)
    np.testing.assert_allclose(ds.x_scaler.mean, ref.x_mean[:, 0], rtol=1e-12)
    np.testing.assert_allclose(ds.x_scaler.std, ref.x_std[:, 0], rtol=1e-12)
    np.testing.assert_allclose(ds.y_scaler.mean, ref.y_mean[:, 0], rtol=1e-12)
    np.testing.assert_allclose(ds.y_scaler.std, ref.y_std[:, 0], rtol=1e-12)
    np.testing.assert_allclose(ds.train.xs, ref.X_train.T, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ds.test.xs, ref.X_test.T, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ds.train.ys, ref.Y_train.T, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ds.test.ys, ref.Y_test.T, rtol=1e-12, atol=1e-12)


def test_initial_weights_match_reference(ref: Reference) -> None:
    net, _ = nngui_setup()
    assert net.sizes == ref.sizes
    assert net.parameter_count() == 47
    assert [l.activation for l in net.layers] == ["relu", "relu", "linear"]
    assert_same_weights(net, ref, rtol=1e-12)


def test_initial_test_loss_is_the_articles(ref: Reference) -> None:
    _, trainer = nngui_setup()
    assert ref.test_loss() == pytest.approx(LOSS_BEFORE, abs=5e-5)
    assert nngui_test_loss(trainer) == pytest.approx(LOSS_BEFORE, abs=5e-5)
    assert nngui_test_loss(trainer) == pytest.approx(ref.test_loss(), rel=1e-12)


def test_every_one_of_the_first_50_epochs_matches_reference() -> None:
    ref = Reference()
    net, trainer = nngui_setup()
    for epoch in range(1, 51):
        ref.epoch()
        result = trainer.run(epochs=1)
        assert result.outcome == "completed"
        assert trainer.history.epochs == epoch
        assert_same_weights(net, ref, rtol=1e-9)


def test_train_loss_history_is_the_objective_before_each_update() -> None:
    ref = Reference()
    _, trainer = nngui_setup()
    trainer.run(epochs=5)
    expected = []
    for _ in range(5):
        E = ref.forward(ref.X_train)[-1] - ref.Y_train
        expected.append(0.5 * float(np.sum(E**2)) / E.shape[1])
        ref.epoch()
    np.testing.assert_allclose(trainer.history.train_loss.values, expected, rtol=1e-10)


def test_test_loss_after_1000_epochs_is_the_articles() -> None:
    ref = Reference()
    for _ in range(1000):
        ref.epoch()
    net, trainer = nngui_setup()
    result = trainer.run()  # TrainConfig() defaults: gd, lr 0.01, full batch, 1,000 epochs
    assert result.outcome == "completed"
    assert result.epochs_run == 1000
    assert ref.test_loss() == pytest.approx(LOSS_1000, abs=5e-5)
    assert nngui_test_loss(trainer) == pytest.approx(LOSS_1000, abs=5e-5)
    assert_same_weights(net, ref, rtol=1e-7)


@pytest.mark.slow  # about 10-30 s: 10,000 epochs through nngui and through the reference
def test_test_loss_after_10000_epochs_is_the_articles() -> None:
    net, trainer = nngui_setup()
    result = trainer.run(epochs=10_000)
    assert result.outcome == "completed"
    assert nngui_test_loss(trainer) == pytest.approx(LOSS_10000, abs=5e-5)
    ref = Reference()
    for _ in range(10_000):
        ref.epoch()
    assert ref.test_loss() == pytest.approx(LOSS_10000, abs=5e-5)
    assert_same_weights(net, ref, rtol=1e-6)
