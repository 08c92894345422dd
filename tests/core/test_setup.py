"""fresh_start: the data, then the initial weights, from one RandomState(seed) stream."""

from __future__ import annotations

import numpy as np

from nngui.core.data import DataSpec
from nngui.core.network import LayerSpec
from nngui.core.setup import fresh_start


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
