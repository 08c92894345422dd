"""Neuron maps: every layer's activations on a grid of the input plane equal the network's own
forward pass at those points; a Playground set's derived features are recomputed from x1 and
x2, other inputs are held at their training medians; non-finite weights give NaN quietly."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from nngui.core.csv_dialect import sniff
from nngui.core.csv_source import CsvSpec, make_csv_dataset
from nngui.core.model import Model
from nngui.core.network import LayerSpec, Network
from nngui.core.neuron_maps import (
    activation_centre,
    diverging_strength,
    grid_activations,
    neuron_grid,
    neuron_maps,
)
from nngui.core.playground_source import PlaygroundSpec, feature_matrix, make_playground_dataset
from nngui.core.response_map import training_medians
from nngui.core.setup import start_on

FEATURES = ("x1", "x2", "x1^2", "x1x2", "sin_x2")
LAYERS = [LayerSpec(5, "tanh"), LayerSpec(3, "relu"), LayerSpec(1, "sigmoid")]


def playground_model(features=FEATURES, seed: int = 3):
    ds = make_playground_dataset(PlaygroundSpec(dataset="circle", points=120, features=features))
    ds, net = start_on(ds, LAYERS)
    net = Network.initialise(ds.n_inputs, LAYERS, np.random.RandomState(seed))
    return Model.from_dataset(net, ds), ds


def per_point_activations(model: Model, raw: np.ndarray) -> list[np.ndarray]:
    """Each layer's activations for one raw input row, forwarded alone."""
    xs = model.x_scaler.transform(raw[None, :])
    return [a[0] for _, a in model.network.forward(xs, keep=True)]


def test_maps_equal_a_forward_pass_at_every_point_checked_with_features_recomputed():
    model, ds = playground_model()
    maps = neuron_maps(model, ds, resolution=9)
    assert maps.names == ("x1", "x2")
    assert [a.shape for a in maps.layers] == [(9, 9, 5), (9, 9, 3), (9, 9, 1)]
    assert maps.inputs.shape == (9, 9, len(FEATURES))
    for j, i in [(0, 0), (4, 7), (8, 2), (8, 8)]:
        point = np.array([[maps.x[i], maps.y[j]]])
        raw = feature_matrix(point, FEATURES)[0]  # x1², x1·x2, sin x2 of this very point
        expected = per_point_activations(model, raw)
        for layer, a in enumerate(maps.layers):
            np.testing.assert_allclose(a[j, i], expected[layer], rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(maps.inputs[j, i], model.x_scaler.transform(raw[None])[0])
    # the derived features do vary over the grid: x1² with x1 along a row, not held
    x1_squared = maps.inputs[0, :, 2] * model.x_scaler.std[2] + model.x_scaler.mean[2]
    np.testing.assert_allclose(x1_squared, maps.x**2)
    assert maps.value_range(3, 0) == (maps.layers[2].min(), maps.layers[2].max())


def test_the_plane_spans_the_training_points_extended_and_can_be_swapped():
    model, ds = playground_model(features=("x1", "x2"))
    maps = neuron_maps(model, ds, resolution=4, extend=0.0)
    train = ds.train.x
    assert maps.shown == (
        (train[:, 0].min(), train[:, 0].max()),
        (train[:, 1].min(), train[:, 1].max()),
    )
    swapped = neuron_maps(model, ds, axes=(1, 0), resolution=4, extend=0.0)
    assert swapped.names == ("x2", "x1")
    np.testing.assert_allclose(swapped.layers[0], maps.layers[0].transpose(1, 0, 2))
    with pytest.raises(ValueError, match="x1 and x2"):
        neuron_maps(*playground_model(), axes=(2, 3))


def csv_model(tmp_path, columns=("p", "kind", "q", "r")):
    path = tmp_path / "d.csv"
    rows = "".join(
        f"{i % 10},{i % 7},{['u', 'v', 'v'][i % 3]},{(i * 3) % 11},{i % 10 + 2 * (i % 7)}\n"
        for i in range(60)
    )
    path.write_text("p,q,kind,r,y\n" + rows)
    ds = make_csv_dataset(CsvSpec(str(path), columns, ("y",), sniff(path))).dataset
    layers = [LayerSpec(4, "tanh"), LayerSpec(1, "linear")]
    net = Network.initialise(ds.n_inputs, layers, np.random.RandomState(2))
    return Model.from_dataset(net, ds), ds


def test_csv_data_holds_the_other_inputs_as_the_response_map_does(tmp_path):
    model, ds = csv_model(tmp_path)
    assert model.input_names == ("p", "kind=u", "kind=v", "q", "r")
    maps = neuron_maps(model, ds, axes=(0, 4), resolution=5)
    assert maps.names == ("p", "r")
    held = training_medians(ds)  # q at its median, kind one-hot at its most frequent value
    assert held[1:3].tolist() == [0.0, 1.0]
    raw = held.copy()
    raw[0], raw[4] = maps.x[3], maps.y[1]
    expected = per_point_activations(model, raw)
    np.testing.assert_allclose(maps.layers[0][1, 3], expected[0], rtol=1e-12)
    np.testing.assert_allclose(maps.layers[1][1, 3], expected[1], rtol=1e-12)
    assert neuron_maps(model, ds, resolution=5).names == ("p", "q")  # the first two numeric
    with pytest.raises(ValueError, match="numeric inputs"):
        neuron_maps(model, ds, axes=(0, 1))  # a one-hot column is no axis


def test_one_numeric_input_has_no_plane(tmp_path):
    model, ds = csv_model(tmp_path, columns=("p", "kind"))
    with pytest.raises(ValueError, match="two numeric inputs; this network has 1"):
        neuron_maps(model, ds)


def test_non_finite_weights_give_nan_without_a_warning():
    model, ds = playground_model()
    grid = neuron_grid(model, ds, resolution=6)
    net = model.network.copy()
    net.params[0][0, 0] = np.nan
    net.params[1][:] = 1e308  # overflows to inf, then inf − inf
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        maps = grid_activations(net, grid)
        strength = diverging_strength(maps.layers[2][:, :, 0], 0.5)
        nothing = diverging_strength(np.full((2, 2), np.nan))
    assert np.isnan(maps.layers[0][:, :, 0]).all()
    assert not np.isfinite(maps.layers[2]).all()
    assert np.isnan(nothing).all()
    assert np.isnan(maps.value_range(1, 0)).all()
    assert strength.shape == (6, 6)


def test_the_diverging_scale_is_per_neuron_around_the_activations_midpoint():
    values = np.array([[0.5, 0.75], [0.25, 0.6]])
    np.testing.assert_allclose(diverging_strength(values, 0.5), [[0, 1], [-1, 0.4]])
    np.testing.assert_allclose(diverging_strength(np.array([[-4.0, 2.0]])), [[-1, 0.5]])
    assert (diverging_strength(np.full((3, 3), 7.0), 7.0) == 0).all()
    np.testing.assert_array_equal(diverging_strength(np.array([[np.inf, 1.0]])), [[1.0, 1.0]])
    # one map per unit along the last axis: each on its own scale
    units = np.stack([values, 10 * values], axis=2)
    np.testing.assert_allclose(diverging_strength(units)[:, :, 0], values / 0.75)
    np.testing.assert_allclose(diverging_strength(units)[:, :, 1], values / 0.75)
    assert activation_centre("sigmoid") == 0.5
    assert activation_centre("softmax", 4) == 0.25
    assert activation_centre("tanh") == activation_centre("relu") == 0.0


def test_resolution_is_bounded():
    model, ds = playground_model()
    with pytest.raises(ValueError, match="resolution"):
        neuron_maps(model, ds, resolution=1)
