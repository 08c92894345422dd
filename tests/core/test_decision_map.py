"""Decision maps: class probabilities over a plane, a Playground set's features computed from
each grid point, other inputs held; points with their true and predicted classes."""

from __future__ import annotations

import numpy as np
import pytest

from nngui.core.data import DataSpec
from nngui.core.decision_map import (
    DecisionGrid,
    decision_grid,
    default_plane,
    input_plane,
    playground_plane,
    point_classes,
)
from nngui.core.model import Model
from nngui.core.network import LayerSpec
from nngui.core.playground_source import PlaygroundSpec, make_playground_dataset
from nngui.core.setup import fresh_start, start_on
from nngui.core.training import TrainConfig, Trainer


def trained(spec: PlaygroundSpec, epochs: int = 60) -> tuple[Model, object]:
    ds, net = fresh_start(spec, [LayerSpec(8, "tanh"), LayerSpec(1, "sigmoid")])
    Trainer(net, ds, TrainConfig(optimizer="adam", lr=0.03, epochs=epochs)).run()
    return Model.from_dataset(net, ds), ds


def test_a_playground_plane_computes_the_features_of_each_point():
    spec = PlaygroundSpec(dataset="xor", points=120, val_ratio=0.2,
                          features=("x1^2", "x1x2", "sin_x2"))  # fmt: skip
    model, ds = trained(spec, 5)
    plane = playground_plane(ds)
    assert plane.names == ("x1", "x2")
    for name in ("train", "val", "test"):
        split = getattr(ds, name)
        x1, x2 = plane.points[name].T
        np.testing.assert_allclose(split.x, np.column_stack([x1 * x1, x1 * x2, np.sin(x2)]))
    grid = decision_grid(model, plane, resolution=9)
    j, i = 3, 7
    at = np.array([[grid.x[i], grid.y[j]]])
    p1 = model.predict(np.column_stack([at[:, 0] ** 2, at[:, 0] * at[:, 1], np.sin(at[:, 1])]))
    np.testing.assert_allclose(grid.probabilities[j, i], [1 - p1[0, 0], p1[0, 0]])
    assert grid.probabilities.shape == (9, 9, 2)
    lo, hi = plane.ranges[0]
    assert grid.shown[0][0] < lo and grid.shown[0][1] > hi  # extended 10 % each side


def test_predicted_and_confidence_follow_the_probabilities_and_nan_is_unknown():
    p = np.array([[[0.2, 0.8], [0.6, 0.4]], [[np.nan, np.nan], [0.5, 0.5]]])
    grid = DecisionGrid(np.arange(2.0), np.arange(2.0), p, ((0, 1), (0, 1)))
    assert grid.predicted.tolist() == [[1, 0], [-1, 0]]
    np.testing.assert_array_equal(grid.confidence, [[0.8, 0.6], [np.nan, 0.5]])


def test_a_trained_circle_map_says_inside_and_outside_and_marks_its_mistakes():
    model, ds = trained(PlaygroundSpec(dataset="circle", points=400), 150)
    plane = default_plane(model, ds)
    grid = decision_grid(model, plane, resolution=41)
    centre, corner = grid.predicted[20, 20], grid.predicted[0, 0]
    assert centre != corner  # one class inside radius 2.5, the other in the ring
    test = point_classes(model, ds, plane, "test")
    assert len(test.points) == len(ds.test) and test.wrong.mean() < 0.1
    metrics = model.evaluate(ds)["test"]
    assert 1 - test.wrong.mean() == pytest.approx(metrics["accuracy"])
    assert len(point_classes(model, ds, plane, "val").points) == 0  # no validation split


def test_other_data_maps_two_inputs_the_others_held(tmp_path):
    from nngui.core.csv_dialect import sniff
    from nngui.core.csv_source import CsvSpec, make_csv_dataset

    rng = np.random.default_rng(1)
    rows = [f"{a:.3f},{b:.3f},{c:.3f},{'yes' if a + b > 0 else 'no'}\n"
            for a, b, c in rng.normal(size=(80, 3))]  # fmt: skip
    path = tmp_path / "d.csv"
    path.write_text("a,b,c,ok\n" + "".join(rows))
    ds = make_csv_dataset(CsvSpec(str(path), ("a", "b", "c"), ("ok",), sniff(path))).dataset
    ds, net = start_on(ds, [LayerSpec(4, "tanh"), LayerSpec(1, "sigmoid")])
    model = Model.from_dataset(net, ds)
    plane = input_plane(model, ds, (0, 2))
    assert plane.names == ("a", "c")
    np.testing.assert_array_equal(plane.points["train"], ds.train.x[:, [0, 2]])
    inputs = plane.to_inputs(np.array([[1.0, 2.0]]))
    assert inputs[0, 0] == 1.0 and inputs[0, 2] == 2.0
    assert inputs[0, 1] == pytest.approx(np.median(ds.train.x[:, 1]))
    with pytest.raises(ValueError, match="two different numeric inputs"):
        input_plane(model, ds, (1, 1))


def test_a_regression_has_no_decision_map():
    ds, net = fresh_start(DataSpec(samples=50), [LayerSpec(3, "linear")])
    model = Model.from_dataset(net, ds)
    with pytest.raises(ValueError, match="for a classifier"):
        decision_grid(model, default_plane(model, ds))


def test_non_finite_weights_give_unknown_classes_without_warnings():
    spec = PlaygroundSpec(dataset="gauss", points=60)
    ds = make_playground_dataset(spec)
    ds, net = start_on(ds, [LayerSpec(3, "relu"), LayerSpec(1, "sigmoid")])
    net.params[0][:] = np.nan
    model = Model.from_dataset(net, ds)
    grid = decision_grid(model, playground_plane(ds), resolution=5)
    assert (grid.predicted == -1).all() and np.isnan(grid.confidence).all()
    assert point_classes(model, ds, playground_plane(ds), "train").wrong.all()
