"""nngui inside, check-gradients and export: a model with known weights gives known numbers."""

from __future__ import annotations

import csv
import functools
import io
import json
import shutil

import numpy as np
import pytest

from nngui import cli, cli_explain
from nngui.core.data import DataSpec, make_dataset
from nngui.core.export import history_csv
from nngui.core.fit import fit_table
from nngui.core.gradient_check import check_gradients
from nngui.core.model import Model
from nngui.core.model_file import save_model
from nngui.core.network import LayerSpec, Network
from nngui.core.training import History, Series

SPEC = DataSpec(samples=200, targets=("a+b",), val_ratio=0.2, seed=3)
# 2 → 2 relu → 1 linear, weights chosen by hand.
W1 = np.array([[0.5, -1.0], [0.25, 0.75]])
B1 = np.array([0.1, -0.2])
W2 = np.array([[2.0], [-0.5]])
B2 = np.array([0.3])


def run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def known(tmp_path_factory) -> tuple[str, Model]:
    ds = make_dataset(SPEC)
    net = Network(2, [LayerSpec(2, "relu"), LayerSpec(1, "linear")])
    for p, w, b in zip(net.params, (W1, W2), (B1, B2), strict=True):
        p[:-1], p[-1] = w, b
    model = Model.from_dataset(net, ds)
    model.history = History(Series([3.0, 2.0]), Series([2]), Series([2.5]), Series([2.25]))
    path = tmp_path_factory.mktemp("explain") / "known.npz"
    save_model(model, path)
    return str(path), model


def test_inside_json_matches_a_hand_computed_pass(capsys, known):
    path, model = known
    code, out, err = run(capsys, "inside", path, "30,70", "--json")
    assert code == 0, err
    r = json.loads(out)
    x = model.x_scaler.transform(np.array([[30.0, 70.0]]))
    y = model.y_scaler.transform(np.array([[100.0]]))
    z1 = x @ W1 + B1
    a1 = np.maximum(z1, 0)
    z2 = a1 @ W2 + B2
    dz2 = z2 - y
    dz1 = (dz2 @ W2.T) * (z1 > 0)
    first, second = r["layers"]
    np.testing.assert_allclose(first["z"], z1)
    np.testing.assert_allclose(first["a"], a1)
    np.testing.assert_allclose(second["z"], z2)
    np.testing.assert_allclose(second["dz"], dz2)
    np.testing.assert_allclose(second["dw"], a1.T @ dz2)
    np.testing.assert_allclose(first["dz"], dz1)
    np.testing.assert_allclose(first["dw"], x.T @ dz1)
    np.testing.assert_allclose(first["db"], dz1[0])
    assert r["truth"] == [100.0]
    np.testing.assert_allclose(r["prediction"], model.predict(np.array([[30.0, 70.0]]))[0])
    assert r["loss"] == pytest.approx(0.5 * float(dz2[0, 0] ** 2))


def test_inside_text_shows_formulas_shapes_and_dead_units(capsys, known):
    code, out, _ = run(capsys, "inside", known[0], "30,70")
    assert code == 0
    assert "Z1 = A0·W1 + b1  (1, 2)" in out
    assert "dW1 = A0ᵀ·dZ1  (2, 2)" in out
    assert "dead relu units on the training data: layer 1:" in out


def test_inside_rejects_a_bad_point(capsys, known):
    code, _, err = run(capsys, "inside", known[0], "30")
    assert code == 2 and "point" in err


def test_check_gradients_passes_on_a_healthy_model(capsys, known):
    code, out, err = run(capsys, "check-gradients", known[0], "--json")
    assert code == 0, err
    r = json.loads(out)
    assert r["passed"] and r["max_rel_diff"] < 1e-6
    assert r["checked"] == r["total"] == 9
    assert [layer["layer"] for layer in r["layers"]] == [1, 2]


def test_check_gradients_fails_with_status_1_on_a_planted_error(capsys, known, monkeypatch):
    def halved(network, xs, ys):  # a backprop that forgot a factor
        from nngui.core.gradient_check import engine_gradients

        return [g * 0.5 for g in engine_gradients(network, xs, ys)]

    monkeypatch.setattr(
        cli_explain, "check_gradients", functools.partial(check_gradients, gradient_fn=halved)
    )
    code, out, _ = run(capsys, "check-gradients", known[0])
    assert code == 1
    assert out.startswith("gradient check FAILED: largest relative difference 0.5")


def test_export_writes_the_three_tables(capsys, known, tmp_path):
    path, model = known
    h, f, e = tmp_path / "h.csv", tmp_path / "f.csv", tmp_path / "e.csv"
    code, _, err = run(
        capsys, "export", path, "--history", h, "--fit", f, "--error-map", e,
        "--resolution", "4", "--extend", "0.5",
    )  # fmt: skip
    assert code == 0, err
    assert h.read_text() == history_csv(model.history)
    fit = list(csv.DictReader(io.StringIO(f.read_text())))
    expected = fit_table(model, model.training_data())
    assert [(r["split"], r["output"]) for r in fit] == [(r["split"], "a+b") for r in expected]
    for row, want in zip(fit, expected, strict=True):
        assert float(row["rmse"]) == pytest.approx(want["rmse"])
    grid = list(csv.DictReader(io.StringIO(e.read_text())))
    assert len(grid) == 16
    a_values = sorted({float(r["a"]) for r in grid})
    assert a_values == pytest.approx([-25, 25, 75, 125])  # centres of 4 cells over [−50, 150]
    for r in grid:
        a, b = float(r["a"]), float(r["b"])
        pred = model.predict(np.array([[a, b]]))[0, 0]
        assert float(r["prediction"]) == pytest.approx(pred)
        assert float(r["abs_error"]) == pytest.approx(abs(pred - (a + b)))


def test_export_to_stdout_and_mistakes(capsys, known, tmp_path):
    path = known[0]
    code, out, _ = run(capsys, "export", path, "--history", "-")
    assert code == 0 and out.startswith("epoch,train_loss,val_loss,test_loss\n")
    assert run(capsys, "export", path)[0] == 2
    assert run(capsys, "export", path, "--history", "-", "--fit", "-")[0] == 2
    code, _, err = run(capsys, "export", path, "--fit", tmp_path / "missing" / "f.csv")
    assert code == 2 and "--fit: the folder" in err and "does not exist; create it first" in err
    assert run(capsys, "export", path, "--fit", "x.csv", "--resolution", "0")[0] == 2


@pytest.fixture
def own_copy(known, tmp_path) -> str:
    """A copy of the known model in tmp_path, which a failing test may overwrite."""
    path = tmp_path / "m.npz"
    shutil.copyfile(known[0], path)
    return str(path)


@pytest.mark.parametrize(
    ("option", "name"),
    [("--history", "m.npz"), ("--fit", "./m.npz"), ("--error-map", "sub/../m.npz"),
     ("--history", "link.npz")],
)  # fmt: skip
def test_export_never_overwrites_the_model(capsys, own_copy, tmp_path, monkeypatch, option, name):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    (tmp_path / "link.npz").symlink_to(tmp_path / "m.npz")
    before = (tmp_path / "m.npz").read_bytes()
    code, out, err = run(capsys, "export", own_copy, option, name)
    assert code == 2 and out == ""
    assert err == (
        f"nngui: {option}: {name} is the model file itself and would be overwritten; "
        f"give another file name, e.g. m-{option[2:]}.csv\n"
    )
    assert (tmp_path / "m.npz").read_bytes() == before


def test_export_refuses_one_file_for_two_tables(capsys, own_copy, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "export", own_copy, "--fit", "t.csv", "--history", "t.csv")
    assert (code, out) == (2, "")
    assert err == "nngui: --history and --fit both name t.csv; give each table its own file\n"
    assert not (tmp_path / "t.csv").exists()
    (tmp_path / "t.csv").write_text("kept\n")  # an existing file, named through a link
    (tmp_path / "same.csv").symlink_to(tmp_path / "t.csv")
    code, _, err = run(capsys, "export", own_copy, "--fit", "same.csv", "--error-map", "./t.csv")
    assert code == 2 and "--fit same.csv and --error-map ./t.csv are the same file" in err
    assert (tmp_path / "t.csv").read_text() == "kept\n"
    code, _, err = run(capsys, "export", own_copy, "--history", "-", "--error-map", "-")
    assert code == 2 and err == "nngui: only one table can go to stdout (-)\n"
