"""One set-up path: the command line and the window start identical networks on identical data."""

from __future__ import annotations

import numpy as np
import pytest

from nngui.cli import fresh_setup
from nngui.cli_args import build_parser
from nngui.workbench.session import fresh_session


def same_arrays(a, b) -> bool:
    return a.dtype == b.dtype and np.array_equal(a, b)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_the_cli_and_the_window_build_the_same_data_and_network(dtype):
    argv = ["train", "--samples", "300", "--hidden", "5,3", "--activation", "tanh",
            "--init", "xavier", "--dtype", dtype, "--noise", "0.5", "--seed", "7",
            "--val-ratio", "0.2"]  # fmt: skip
    args = build_parser().parse_args(argv)
    net, ds, config, _, _ = fresh_setup(args)
    session = fresh_session(ds.spec, list(net.layers), config.init, config.dtype)
    assert session.dataset.spec == ds.spec and session.network.layers == net.layers
    assert session.network.dtype == net.dtype == np.dtype(dtype)
    for name in ("train", "val", "test"):
        a, b = getattr(ds, name), getattr(session.dataset, name)
        for field in ("x", "y", "xs", "ys"):
            assert same_arrays(getattr(a, field), getattr(b, field)), (name, field)
    for p, q in zip(net.params, session.network.params, strict=True):
        assert same_arrays(p, q)


def test_a_csv_file_gives_the_same_data_and_network_on_both_paths(tmp_path):
    from nngui.core.setup import fresh_start

    path = tmp_path / "d.csv"
    rows = "".join(f"{i},{i % 4},{['u', 'v'][i % 2]},{3 * i}\n" for i in range(60))
    path.write_text("x,k,c,y\n" + rows)
    argv = ["train", "--csv", str(path), "--targets", "y", "--hidden", "5",
            "--shuffle-seed", "9", "--val-ratio", "0.2"]  # fmt: skip
    net, ds, config, _, _ = fresh_setup(build_parser().parse_args(argv))
    ds2, net2 = fresh_start(ds.spec, list(net.layers), config.init, config.dtype)
    assert ds2.spec == ds.spec and ds2.input_names == ds.input_names
    for name in ("train", "val", "test"):
        assert same_arrays(getattr(ds, name).xs, getattr(ds2, name).xs)
    for p, q in zip(net.params, net2.params, strict=True):
        assert same_arrays(p, q)
