"""fresh_start: the data, then the initial weights, from one RandomState(seed) stream."""

from __future__ import annotations

import numpy as np
import pytest

from nngui.core.data import DataSpec
from nngui.core.network import LayerSpec
from nngui.core.playground_source import PlaygroundSpec
from nngui.core.setup import build_dataset, check_output, fresh_start, task_output


def test_fresh_start_draws_data_then_weights_from_one_stream():
    spec = DataSpec(samples=50, seed=3)
    layers = [LayerSpec(4, "relu"), LayerSpec(3, "linear")]
    ds, net = fresh_start(spec, layers, "he", "float32")
    again, net2 = fresh_start(spec, layers, "he", "float32")
    assert np.array_equal(ds.train.x, again.train.x)
    assert all(np.array_equal(p, q) for p, q in zip(net.params, net2.params, strict=True))
    assert net.dtype == np.float32 and ds.train.xs.dtype == np.float64  # the trainer casts
    other, _ = fresh_start(DataSpec(samples=50, seed=4), layers)
    assert not np.array_equal(ds.train.x, other.train.x)


def test_a_playground_set_gets_its_own_weights_stream_and_a_classifier_output():
    spec = PlaygroundSpec(dataset="spiral", points=120, seed=5)
    layers = [LayerSpec(6, "tanh"), task_output("classification", ("-1", "1"), LayerSpec(3))]
    ds, net = fresh_start(spec, layers)
    again, net2 = fresh_start(spec, layers)
    assert ds.task == "classification" and layers[-1] == LayerSpec(1, "sigmoid")
    assert np.array_equal(ds.train.x, again.train.x)
    assert all(np.array_equal(p, q) for p, q in zip(net.params, net2.params, strict=True))
    assert np.array_equal(build_dataset(spec).test.x, ds.test.x)


def test_task_output_follows_the_task():
    three = ("a", "b", "c")
    assert task_output("classification", ("no", "yes"), LayerSpec(2)) == LayerSpec(1, "sigmoid")
    assert task_output("classification", three, LayerSpec(1)) == LayerSpec(3, "softmax")
    assert task_output("regression", (), LayerSpec(2, "relu")) == LayerSpec(2, "relu")
    assert task_output("regression", (), LayerSpec(3, "softmax")) == LayerSpec(3, "linear")


def test_check_output_refuses_an_output_that_does_not_fit_the_data():
    check_output(LayerSpec(3, "softmax"), ["label"], "classification", ("a", "b", "c"))
    check_output(LayerSpec(2, "linear"), ["y1", "y2"], "regression", ())
    with pytest.raises(ValueError, match="2 classes needs an output layer of 1 sigmoid"):
        check_output(LayerSpec(2, "softmax"), ["label"], "classification", ("a", "b"))
    with pytest.raises(ValueError, match="3 units but the data has 2 targets"):
        check_output(LayerSpec(3, "linear"), ["y1", "y2"], "regression", ())
    with pytest.raises(ValueError, match="softmax is a classifier's output"):
        check_output(LayerSpec(1, "softmax"), ["y"], "regression", ())
    with pytest.raises(ValueError, match="3 units but the data has 1 targets"):
        fresh_start(DataSpec(samples=50, targets=("a+b",)), [LayerSpec(3, "linear")])
