"""Model: predictions in original units, evaluation on every split, regenerating the data."""

from __future__ import annotations

import numpy as np
import pytest

from nngui.core.data import DataSpec, make_dataset
from nngui.core.losses import METRIC_NAMES, objective, seed_loss
from nngui.core.model import Model
from nngui.core.network import LayerSpec, Network, seed_layers
from nngui.core.scaling import Scaler
from nngui.core.training import TrainConfig, Trainer


def trained_model(spec: DataSpec, epochs: int = 20, dtype: type = np.float64) -> Model:
    rng = np.random.RandomState(spec.seed)
    ds = make_dataset(spec, rng, dtype)
    layers = [LayerSpec(8, "tanh"), LayerSpec(ds.n_outputs, "linear")]
    net = Network.initialise(ds.n_inputs, layers, rng, dtype=dtype)
    config = TrainConfig(optimizer="adam", lr=0.01, batch_size=32, epochs=epochs)
    trainer = Trainer(net, ds, config)
    trainer.run()
    return Model.from_dataset(net, ds, config, trainer.history)


@pytest.fixture(scope="module")
def model() -> Model:
    return trained_model(DataSpec(samples=1000, val_ratio=0.1, seed=3))


def test_from_dataset_bundles_scalers_and_names(model: Model) -> None:
    ds = make_dataset(model.data_spec)
    np.testing.assert_array_equal(model.x_scaler.mean, ds.x_scaler.mean)
    np.testing.assert_array_equal(model.y_scaler.std, ds.y_scaler.std)
    assert model.input_names == ("a", "b")
    assert model.output_names == ("a+b", "a-b", "|a-b|")
    assert model.train_config is not None
    assert model.history.epochs == 20


def test_predict_equals_manual_pipeline(model: Model) -> None:
    x = np.random.default_rng(0).uniform(0, 100, (17, 2))
    xs = (x - model.x_scaler.mean) / model.x_scaler.std
    h = xs
    for W, b, layer in zip(model.network.weights, model.network.biases, model.network.layers,
                           strict=True):  # fmt: skip
        h = h @ W + b
        if layer.activation == "tanh":
            h = np.tanh(h)
    expected = h * model.y_scaler.std + model.y_scaler.mean
    out = model.predict(x)
    assert out.shape == (17, 3)
    assert out.dtype == np.float64
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-12)


def test_predict_one_row_and_lists(model: Model) -> None:
    row = model.predict([30.0, 70.0])
    assert row.shape == (1, 3)
    np.testing.assert_allclose(row, model.predict(np.array([[30.0, 70.0]])))


def test_predict_rejects_wrong_width(model: Model) -> None:
    with pytest.raises(ValueError, match="2 inputs"):
        model.predict(np.zeros((4, 3)))


def test_trained_model_predicts_the_task_roughly(model: Model) -> None:
    pred = model.predict([[30.0, 70.0]])[0]
    assert pred[0] == pytest.approx(100, abs=15)
    assert pred[1] == pytest.approx(-40, abs=15)


def test_evaluate_keys_and_shapes(model: Model) -> None:
    ds = model.regenerate_data()
    result = model.evaluate(ds)
    assert set(result) == {"train", "val", "test"}
    for name, part in result.items():
        assert set(part) == {*METRIC_NAMES, "loss", "seed_loss"}
        for metric in METRIC_NAMES:
            assert len(part[metric]) == 3
            assert all(isinstance(v, float) for v in part[metric])
        split = getattr(ds, name)
        yhat = model.network.forward(split.xs)
        assert part["loss"] == pytest.approx(objective(yhat, split.ys), rel=1e-12)
        assert part["seed_loss"] == pytest.approx(seed_loss(yhat, split.ys), rel=1e-12)
        rmse = np.sqrt(np.mean((model.predict(split.x) - split.y) ** 2, axis=0))
        np.testing.assert_allclose(part["rmse"], rmse, rtol=1e-10)
        assert all(r2 > 0.5 for r2 in part["r2"])


def test_evaluate_without_validation_split() -> None:
    m = trained_model(DataSpec(samples=300), epochs=2)
    assert set(m.evaluate(m.regenerate_data())) == {"train", "test"}


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_regenerate_data_equals_the_original(dtype: type) -> None:
    spec = DataSpec(samples=600, noise=0.5, val_ratio=0.2, targets=("a*b", "min(a,b)"), seed=8)
    m = trained_model(spec, epochs=1, dtype=dtype)
    original = make_dataset(spec, dtype=dtype)
    again = m.regenerate_data()
    assert again.spec == spec
    for name in ("train", "val", "test"):
        a, b = getattr(original, name), getattr(again, name)
        for field in ("x", "y", "xs", "ys"):
            np.testing.assert_array_equal(getattr(a, field), getattr(b, field))
        assert b.xs.dtype == dtype
    np.testing.assert_array_equal(again.x_scaler.mean, m.x_scaler.mean)
    np.testing.assert_array_equal(again.y_scaler.std, m.y_scaler.std)


def test_regenerate_needs_a_spec() -> None:
    net = Network(2, seed_layers(3))
    ds = make_dataset(DataSpec(samples=100))
    m = Model(net, ds.x_scaler, ds.y_scaler, ("a", "b"), ("a+b", "a-b", "|a-b|"))
    with pytest.raises(ValueError):
        m.regenerate_data()


def test_float32_model_predicts_float64(model: Model) -> None:
    m32 = Model(model.network.astype(np.float32), model.x_scaler, model.y_scaler,
                model.input_names, model.output_names)  # fmt: skip
    x = np.array([[10.0, 20.0], [90.0, 5.0]])
    out = m32.predict(x)
    assert out.dtype == np.float64
    np.testing.assert_allclose(out, model.predict(x), rtol=1e-4, atol=1e-3)


def test_training_data_uses_the_stored_scalers_and_the_networks_dtype() -> None:
    spec = DataSpec(samples=200, val_ratio=0.2)
    ds = make_dataset(spec)
    net = Network.initialise(2, seed_layers(3), np.random.RandomState(0), dtype=np.float32)
    model = Model.from_dataset(net, ds)
    model.x_scaler = Scaler(ds.x_scaler.mean + 1.0, ds.x_scaler.std * 2.0)  # as if stored
    data = model.training_data()
    assert data.x_scaler is model.x_scaler and data.y_scaler is model.y_scaler
    for name in ("train", "val", "test"):
        split = getattr(data, name)
        np.testing.assert_array_equal(split.x, getattr(ds, name).x)
        assert split.xs.dtype == np.float32
        np.testing.assert_allclose(split.xs, model.x_scaler.transform(split.x), rtol=1e-6)
    assert model.training_data(np.float64).train.xs.dtype == np.float64
