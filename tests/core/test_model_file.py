"""Tests of the .npz model file: round trips, atomic saves and hostile or damaged files."""

from __future__ import annotations

import dataclasses
import errno
import io
import json
import os
import pickle
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nngui.core import model_file
from nngui.core.activations import ACTIVATIONS
from nngui.core.data import TARGETS, DataSpec
from nngui.core.model import Model
from nngui.core.model_file import (
    FORMAT_NAME,
    FORMAT_VERSION,
    ModelFileError,
    load_model,
    save_model,
)
from nngui.core.network import LayerSpec, Network
from nngui.core.scaling import Scaler
from nngui.core.training import History, TrainConfig

# The documented plain-NumPy recipe (docs/model-format.md), using nothing but numpy.load.
ACT = {
    "relu": lambda z: np.maximum(z, 0),
    "linear": lambda z: z,
    "tanh": np.tanh,
    "sigmoid": lambda z: 0.5 * (1 + np.tanh(z / 2)),
    "leaky_relu": lambda z: np.maximum(z, 0.01 * z),
}


def plain_numpy_predict(path: Path, x: np.ndarray) -> np.ndarray:
    """Predict with only numpy.load: standardise, h = act(h @ W + b) per layer, unstandardise."""
    with np.load(path, allow_pickle=False) as f:
        layers = json.loads(str(f["meta"]))["layers"]
        h = (x - f["x_mean"]) / f["x_std"]
        for l, layer in enumerate(layers, 1):
            h = ACT[layer["activation"]](h @ f[f"W{l}"] + f[f"b{l}"])
        return h * f["y_std"] + f["y_mean"]


# ----- building models --------------------------------------------------------------------
def random_history(rng: np.random.RandomState) -> History:
    """A history of a few epochs with NaN validation losses at random."""
    epochs = int(rng.randint(0, 50))
    evals = np.unique(rng.randint(0, epochs + 1, size=min(epochs, 7))).astype(float)
    val = rng.rand(len(evals))
    val[rng.rand(len(evals)) < 0.3] = np.nan
    return History.from_arrays(
        {"train_loss": rng.rand(epochs), "eval_epochs": evals, "val_loss": val,
         "test_loss": rng.rand(len(evals))}
    )  # fmt: skip


def random_model(seed: int, dtype: type = np.float64) -> Model:
    """A model of random architecture, scalers, settings, history and metrics."""
    rng = np.random.RandomState(seed)
    n_in = 2 if seed % 2 else int(rng.randint(1, 6))
    names = list(ACTIVATIONS)
    layers = [
        LayerSpec(int(rng.randint(1, 7)), names[rng.randint(len(names))])
        for _ in range(rng.randint(1, 5))
    ]
    n_out = layers[-1].units
    spec = None
    if n_in == 2:
        spec = DataSpec(samples=int(rng.randint(50, 500)), targets=tuple(TARGETS)[:n_out])
    history = random_history(rng)
    return Model(
        network=Network.initialise(n_in, layers, rng, dtype=dtype),
        x_scaler=Scaler(rng.randn(n_in) * 10, rng.rand(n_in) + 0.1),
        y_scaler=Scaler(rng.randn(n_out) * 10, rng.rand(n_out) + 0.1),
        input_names=tuple(f"in {i}" for i in range(n_in)),
        output_names=tuple(f"out {j}" for j in range(n_out)),
        data_spec=spec,
        train_config=TrainConfig(optimizer="adam", lr=float(rng.uniform(1e-4, 1)), epochs=7),
        history=history,
        metrics={"test": {"rmse": rng.rand(n_out).tolist(), "loss": float(rng.rand())}},
        outcome="completed",
        weights_epoch=None if seed % 3 else int(rng.randint(0, history.epochs + 1)),
    )


def base_model() -> Model:
    """The model most hostile-file tests start from: 2 inputs, 4 relu, 3 linear."""
    rng = np.random.RandomState(0)
    layers = [LayerSpec(4, "relu"), LayerSpec(3, "linear")]
    return Model(
        Network.initialise(2, layers, rng),
        Scaler(np.array([50.0, 50.0]), np.array([28.0, 29.0])),
        Scaler(np.array([100.0, 0.0, 33.0]), np.array([40.0, 41.0, 23.0])),
        ("a", "b"),
        ("a+b", "a-b", "|a-b|"),
        DataSpec(samples=100),
        TrainConfig(),
        History.from_arrays(
            {
                "train_loss": np.linspace(2, 1, 6),
                "eval_epochs": np.array([0.0, 1, 2, 4, 6]),
                "val_loss": np.full(5, np.nan),
                "test_loss": np.linspace(3, 1, 5),
            }
        ),
        {"test": {"rmse": [1.0, 2.0, 3.0]}},
        "completed",
    )


def assert_same_model(a: Model, b: Model) -> None:
    """Every stored part of two models is equal."""
    assert b.network.dtype == a.network.dtype
    assert b.network.layers == a.network.layers
    for p, q in zip(a.network.params, b.network.params, strict=True):
        np.testing.assert_array_equal(q, p)
    for s, t in ((a.x_scaler, b.x_scaler), (a.y_scaler, b.y_scaler)):
        np.testing.assert_array_equal(t.mean, s.mean)
        np.testing.assert_array_equal(t.std, s.std)
    assert (b.input_names, b.output_names) == (a.input_names, a.output_names)
    assert (b.data_spec, b.train_config) == (a.data_spec, a.train_config)
    for key, values in a.history.arrays().items():
        np.testing.assert_array_equal(b.history.arrays()[key], values)
    assert (b.metrics, b.outcome) == (a.metrics, a.outcome)
    assert b.weights_epoch == a.weights_epoch


# ----- writing files by hand --------------------------------------------------------------
def saved_parts(model: Model, tmp_path: Path) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Save ``model`` and return its arrays (without meta) and its meta object."""
    path = tmp_path / "original.npz"
    save_model(model, path)
    with np.load(path, allow_pickle=False) as f:
        arrays = {k: f[k] for k in f.files}
    return arrays, json.loads(str(arrays.pop("meta")))


def write_archive(path: Path, arrays: dict[str, Any], raw: dict[str, bytes] | None = None) -> Path:
    """Write arrays as .npy members (object arrays pickled!) plus raw members."""
    with zipfile.ZipFile(path, "w") as zf:
        for key, value in arrays.items():
            with zf.open(f"{key}.npy", "w") as member:
                np.lib.format.write_array(member, np.asarray(value), allow_pickle=True)
        for name, data in (raw or {}).items():
            zf.writestr(name, data)
    return path


def header_only(shape: tuple[int, ...], dtype: str = "<f8") -> bytes:
    """A .npy member that claims ``shape`` but holds no data (nothing big is allocated)."""
    buf = io.BytesIO()
    header = {"descr": dtype, "fortran_order": False, "shape": shape}
    np.lib.format.write_array_header_1_0(buf, header)
    return buf.getvalue()


def assert_rejected(path: Path, *fragments: str) -> str:
    """load_model raises one ModelFileError: one line, naming the file, with ``fragments``."""
    with pytest.raises(ModelFileError) as info:
        load_model(path)
    message = str(info.value)
    assert "\n" not in message and str(path) in message
    for fragment in fragments:
        assert fragment in message
    return message


# ----- round trips ------------------------------------------------------------------------
@pytest.mark.parametrize("seed", range(8))
def test_random_models_round_trip_exactly(seed: int, tmp_path: Path) -> None:
    dtype = np.float32 if seed % 3 == 0 else np.float64
    model = random_model(seed, dtype)
    save_model(model, tmp_path / "m.npz")
    loaded = load_model(tmp_path / "m.npz")
    assert_same_model(model, loaded)
    assert loaded.network.dtype == np.dtype(dtype)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_plain_numpy_recipe_predicts_like_the_model(dtype: type, tmp_path: Path) -> None:
    rng = np.random.RandomState(7)
    layers = [LayerSpec(5, name) for name in ACTIVATIONS] + [LayerSpec(2, "linear")]
    model = Model(
        Network.initialise(3, layers, rng, dtype=dtype),
        Scaler(rng.randn(3), rng.rand(3) + 0.5),
        Scaler(rng.randn(2), rng.rand(2) + 0.5),
        ("p", "q", "r"),
        ("u", "v"),
    )
    save_model(model, tmp_path / "m.npz")
    x = rng.randn(20, 3) * 3
    rtol = 1e-12 if dtype is np.float64 else 1e-4
    expected = model.predict(x)
    np.testing.assert_allclose(plain_numpy_predict(tmp_path / "m.npz", x), expected, rtol=rtol)
    np.testing.assert_allclose(load_model(tmp_path / "m.npz").predict(x), expected, rtol=0)


# Names may be any text but control characters and lone surrogates (refused in meta).
CLEAN_TEXT = st.characters(blacklist_categories=("Cc", "Cs"))


@settings(max_examples=30, deadline=None)
@given(
    inputs=st.lists(st.text(CLEAN_TEXT, min_size=1).filter(str.strip), min_size=1, max_size=4),
    outputs=st.lists(st.text(CLEAN_TEXT, min_size=1).filter(str.strip), min_size=1, max_size=4),
    outcome=st.sampled_from(["", "completed", "diverged", "interrupted"]),
)
def test_any_names_round_trip(inputs: list[str], outputs: list[str], outcome: str) -> None:
    net = Network.initialise(
        len(inputs), [LayerSpec(len(outputs), "linear")], np.random.RandomState(0)
    )
    ones_in, ones_out = np.ones(len(inputs)), np.ones(len(outputs))
    model = Model(net, Scaler(ones_in, ones_in), Scaler(ones_out, ones_out), tuple(inputs),
                  tuple(outputs), outcome=outcome)  # fmt: skip
    with tempfile.TemporaryDirectory() as directory:
        save_model(model, Path(directory, "m.npz"))
        assert_same_model(model, load_model(Path(directory, "m.npz")))


def test_file_is_plain_numpy_with_documented_keys(tmp_path: Path) -> None:
    save_model(base_model(), tmp_path / "m.npz")
    with np.load(tmp_path / "m.npz", allow_pickle=False) as f:
        assert sorted(f.files) == sorted(
            ["W1", "b1", "W2", "b2", "x_mean", "x_std", "y_mean", "y_std", "meta",
             "history_train_loss", "history_eval_epochs", "history_val_loss", "history_test_loss",
             "history_val_accuracy", "history_test_accuracy"]
        )  # fmt: skip
        assert f["meta"].shape == () and f["meta"].dtype.kind == "U"
        assert f["W1"].shape == (2, 4) and f["b1"].shape == (4,)
        assert f["history_train_loss"].dtype == np.float64
        meta = json.loads(str(f["meta"]))
    assert (meta["format"], meta["version"]) == (FORMAT_NAME, FORMAT_VERSION)
    assert meta["layers"] == [
        {"units": 4, "activation": "relu"},
        {"units": 3, "activation": "linear"},
    ]
    assert meta["inputs"] == ["a", "b"] and meta["dtype"] == "float64"
    assert meta["epochs"] == base_model().history.epochs
    assert meta["data"]["samples"] == 100 and meta["training"]["optimizer"] == "gd"
    assert {"created", "nngui_version", "metrics", "outcome"} <= set(meta)


def test_non_finite_metrics_are_strict_json_null_and_read_back_as_nan(tmp_path: Path) -> None:
    model = base_model()
    model.metrics = {"test": {"r2": [np.float64(np.nan), np.inf, 0.5]}}
    _, meta = saved_parts(model, tmp_path)
    assert meta["metrics"]["test"]["r2"] == [None, None, 0.5]
    r2 = load_model(tmp_path / "original.npz").metrics["test"]["r2"]
    assert np.isnan(r2[0]) and np.isnan(r2[1]) and r2[2] == 0.5


def test_saves_to_exactly_the_given_name(tmp_path: Path) -> None:
    save_model(base_model(), tmp_path / "model.bin")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.bin"]
    assert load_model(tmp_path / "model.bin").output_names == ("a+b", "a-b", "|a-b|")


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_saved_file_has_the_usual_permissions_not_0600(tmp_path: Path) -> None:
    (tmp_path / "reference").write_bytes(b"")
    save_model(base_model(), tmp_path / "m.npz")
    assert (tmp_path / "m.npz").stat().st_mode == (tmp_path / "reference").stat().st_mode


def test_history_is_optional(tmp_path: Path) -> None:
    arrays, meta = saved_parts(base_model(), tmp_path)
    for key in ("history_train_loss", "history_val_loss", "history_test_loss",
                "history_val_accuracy", "history_test_accuracy"):  # fmt: skip
        del arrays[key]
    del meta["epochs"]
    history = load_model(
        write_archive(tmp_path / "m.npz", {**arrays, "meta": json.dumps(meta)})
    ).history
    evals = arrays.pop("history_eval_epochs")
    np.testing.assert_array_equal(history.eval_epochs.values, evals)
    assert np.isnan(history.val_loss.values).all() and np.isnan(history.test_loss.values).all()
    assert (history.epochs, len(history.val_loss), len(history.test_loss)) == (0, 5, 5)
    for accuracy in (history.val_accuracy, history.test_accuracy):
        assert len(accuracy) == 5 and np.isnan(accuracy.values).all()
    bare = load_model(write_archive(tmp_path / "n.npz", {**arrays, "meta": json.dumps(meta)}))
    assert all(len(values) == 0 for values in bare.history.arrays().values())


def test_optional_meta_fields_may_be_left_out(tmp_path: Path) -> None:
    arrays, meta = saved_parts(base_model(), tmp_path)
    for key in ("data", "training", "metrics", "outcome", "dtype", "created", "epochs"):
        del meta[key]
    del meta["weights_epoch"]  # files written before it existed
    model = load_model(write_archive(tmp_path / "m.npz", {**arrays, "meta": json.dumps(meta)}))
    assert model.data_spec is None and model.train_config is None
    assert model.metrics == {} and model.outcome == "" and model.weights_epoch is None
    assert model.network.dtype == np.float64 and model.history.epochs == 6


# ----- versions ---------------------------------------------------------------------------
def test_migrations_upgrade_older_versions_step_by_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_model(base_model(), tmp_path / "v2.npz")

    def v2_to_v3(meta: dict[str, Any]) -> dict[str, Any]:
        meta["outputs"] = [name.upper() for name in meta["outputs"]]
        return meta

    monkeypatch.setattr(model_file, "FORMAT_VERSION", 3)
    monkeypatch.setattr(model_file, "MIGRATIONS", {**model_file.MIGRATIONS, 2: v2_to_v3})
    assert load_model(tmp_path / "v2.npz").output_names == ("A+B", "A-B", "|A-B|")


def test_version_1_files_open_as_the_formulas_numeric_inputs(tmp_path: Path) -> None:
    arrays, meta = saved_parts(base_model(), tmp_path)
    meta["version"] = 1  # as nngui wrote it before CSV data: no source, no input columns
    del meta["input_columns"]
    meta["data"] = {k: v for k, v in meta["data"].items() if k != "source"}
    path = write_archive(tmp_path / "v1.npz", {**arrays, "meta": json.dumps(meta)})
    model = load_model(path)
    assert model.data_spec == base_model().data_spec and model.input_columns == ()
    assert model.input_names == ("a", "b")


@pytest.mark.parametrize(
    ("version", "fragment"),
    [(3, "made by a newer nngui"), (99, "newer nngui"), (0, "unknown format version 0"),
     (-1, "unknown format version"), ("1", "whole number"), (True, "whole number"),
     (None, "whole number")],
)  # fmt: skip
def test_future_and_unknown_versions_are_rejected(
    version: Any, fragment: str, tmp_path: Path
) -> None:
    arrays, meta = saved_parts(base_model(), tmp_path)
    meta["version"] = version
    assert_rejected(
        write_archive(tmp_path / "m.npz", {**arrays, "meta": json.dumps(meta)}), fragment
    )


# ----- atomic saving ----------------------------------------------------------------------
@pytest.fixture
def old_file(tmp_path: Path) -> Path:
    """An existing model file that a failed save must leave byte for byte."""
    path = tmp_path / "m.npz"
    save_model(random_model(3), path)
    return path


def assert_untouched(path: Path, before: bytes) -> None:
    """The old file is byte-identical and no temporary file is left beside it."""
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def partial_savez(exc: BaseException) -> Callable[..., None]:
    """A stand-in for np.savez that writes part of an archive, then fails."""

    def savez(f: Any, **arrays: np.ndarray) -> None:
        f.write(b"PK\x03\x04 half an archive")
        raise exc

    return savez


def test_crash_mid_save_leaves_old_file(old_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = old_file.read_bytes()
    monkeypatch.setattr(np, "savez", partial_savez(RuntimeError("power cut")))
    with pytest.raises(ModelFileError, match=r"could not save.*power cut"):
        save_model(base_model(), old_file)
    assert_untouched(old_file, before)


def test_disk_full_is_a_model_file_error(old_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = old_file.read_bytes()
    full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(np, "savez", partial_savez(full))
    with pytest.raises(ModelFileError, match="no space left on device") as info:
        save_model(base_model(), old_file)
    assert str(old_file) in str(info.value)
    assert_untouched(old_file, before)


def test_failed_rename_leaves_old_file(old_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = old_file.read_bytes()

    def failing_replace(src: str, dst: str) -> None:
        raise PermissionError(errno.EACCES, "denied")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(ModelFileError, match="permission denied"):
        save_model(base_model(), old_file)
    assert_untouched(old_file, before)


def test_interrupt_mid_save_propagates_and_cleans_up(
    old_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = old_file.read_bytes()
    monkeypatch.setattr(np, "savez", partial_savez(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        save_model(base_model(), old_file)
    assert_untouched(old_file, before)


def test_successful_save_replaces_old_file(old_file: Path) -> None:
    save_model(base_model(), old_file)
    assert_same_model(base_model(), load_model(old_file))
    assert [p.name for p in old_file.parent.iterdir()] == [old_file.name]


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda m: m.network.params[0].__setitem__((0, 0), np.nan), "weights contain NaN or inf"),
        (lambda m: m.network.params[1].__setitem__((-1, 0), np.inf), "weights contain NaN or inf"),
        (lambda m: setattr(m, "y_scaler", Scaler(np.zeros(3), np.array([1, 0, 1.0]))), "<= 0"),
        (lambda m: setattr(m, "x_scaler", Scaler(np.array([np.nan, 0]), np.ones(2))), "NaN"),
        (lambda m: setattr(m, "output_names", ("a", "b")), "3 units but 2 outputs"),
        (lambda m: setattr(m, "input_names", ("a", "")), "non-empty strings"),
        (lambda m: setattr(m, "metrics", {"x": object()}), "not JSON serializable"),
    ],
)
def test_refuses_to_save_what_it_could_not_load(
    change: Callable[[Model], None], fragment: str, old_file: Path
) -> None:
    before = old_file.read_bytes()
    model = base_model()
    change(model)
    with pytest.raises(ModelFileError, match="refusing to save") as info:
        save_model(model, old_file)
    assert fragment in str(info.value) and str(old_file) in str(info.value)
    assert_untouched(old_file, before)


def test_saving_to_a_folder_or_missing_folder_fails_cleanly(tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    with pytest.raises(ModelFileError, match="folder"):
        save_model(base_model(), tmp_path / "folder")
    assert [p.name for p in tmp_path.iterdir()] == ["folder"]
    assert list((tmp_path / "folder").iterdir()) == []
    with pytest.raises(ModelFileError, match="no such file"):
        save_model(base_model(), tmp_path / "missing" / "m.npz")


# ----- hostile and damaged files ----------------------------------------------------------
class Payload:
    """Unpickling this creates the file ``marker``: proof that a loader unpickled."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, tuple[str, str]]:
        return open, (str(self.marker), "w")


@pytest.mark.parametrize("key", ["W1", "meta", "history_train_loss", "extra"])
def test_pickle_payload_is_never_unpickled(key: str, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    arrays, meta = saved_parts(base_model(), tmp_path)
    arrays["meta"] = json.dumps(meta)
    arrays[key] = np.array([Payload(marker)], dtype=object)
    path = write_archive(tmp_path / "m.npz", arrays)
    assert_rejected(path, "Python objects")
    assert not marker.exists()
    # The payload is live: a careless loader would have run it.
    with np.load(path, allow_pickle=True) as f:
        f[key][0].close()
    assert marker.exists()


def test_bare_pickle_and_npy_files_are_not_unpickled(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    (tmp_path / "p.npz").write_bytes(pickle.dumps(Payload(marker)))
    assert_rejected(tmp_path / "p.npz", "not a .npz archive")
    np.save(tmp_path / "o.npy", np.array([Payload(marker)], dtype=object), allow_pickle=True)
    assert_rejected(tmp_path / "o.npy", "not a .npz archive")
    assert not marker.exists()


@pytest.mark.parametrize("keep", [0.5, 0.9, 0.99])
def test_truncated_file(keep: float, old_file: Path) -> None:
    data = old_file.read_bytes()
    old_file.write_bytes(data[: int(len(data) * keep)])
    assert_rejected(old_file, "damaged or not a model file")


@pytest.mark.parametrize(
    "content",
    [b"", b"hello, I am a text file\n", np.random.RandomState(1).bytes(3000), b"PK\x03\x04junk"],
    ids=["empty", "text", "random", "fake zip magic"],
)
def test_not_a_zip(content: bytes, tmp_path: Path) -> None:
    (tmp_path / "m.npz").write_bytes(content)
    assert_rejected(tmp_path / "m.npz")


NOT_A_MODEL = "not an nngui model file (it has no 'meta' entry)"


def test_zip_without_npy_members(tmp_path: Path) -> None:
    path = write_archive(tmp_path / "m.npz", {}, raw={"readme.txt": b"hi"})
    assert_rejected(path, "unexpected member 'readme.txt'")
    assert_rejected(write_archive(tmp_path / "e.npz", {}), NOT_A_MODEL)


def test_plain_npz_of_other_arrays(tmp_path: Path) -> None:
    np.savez(tmp_path / "x.npz", x=np.arange(3))
    message = assert_rejected(tmp_path / "x.npz", NOT_A_MODEL)
    assert "missing" not in message


def test_missing_and_folder_paths(tmp_path: Path) -> None:
    assert_rejected(tmp_path / "nothing.npz", "no such file")
    assert_rejected(tmp_path, "is a folder")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file(old_file: Path) -> None:
    old_file.chmod(0)
    assert_rejected(old_file, "permission denied")


def bad_layers(a: dict[str, Any], m: dict[str, Any]) -> None:
    m["layers"][0]["units"] = 5


def set_meta(key: str, value: Any) -> Callable[[dict[str, Any], dict[str, Any]], None]:
    """A change that sets meta[key] (or deletes it for value ...)."""

    def change(a: dict[str, Any], m: dict[str, Any]) -> None:
        if value is ...:
            del m[key]
        else:
            m[key] = value

    return change


def set_array(key: str, value: Any) -> Callable[[dict[str, Any], dict[str, Any]], None]:
    """A change that sets arrays[key] (or deletes it for value ...)."""

    def change(a: dict[str, Any], m: dict[str, Any]) -> None:
        if value is ...:
            del a[key]
        else:
            a[key] = value

    return change


HOSTILE_CASES = {
    # missing keys
    "no meta": (set_array("meta", ...), NOT_A_MODEL),
    "no W2": (set_array("W2", ...), "the weights are W1"),
    "no b1": (set_array("b1", ...), "the biases are b2"),
    "no x_std": (set_array("x_std", ...), "'x_std' is missing"),
    "no y_mean": (set_array("y_mean", ...), "'y_mean' is missing"),
    "extra layer": (set_array("W3", np.zeros((3, 3))), "meta lists 2 layers but the weights"),
    # shapes
    "W2 fan-in": (
        set_array("W2", np.zeros((5, 3))),
        "layer 2 weights have shape (5, 3) but layer 1 has 4 units",
    ),
    "W1 fan-in": (
        set_array("W1", np.zeros((3, 4))),
        "layer 1 weights have shape (3, 4) but there are 2 inputs",
    ),
    "W1 1-D": (set_array("W1", np.zeros(4)), "must be a matrix"),
    "b1 shape": (set_array("b1", np.zeros((4, 1))), "layer 1 biases have shape (4, 1)"),
    "x_mean shape": (set_array("x_mean", np.zeros(3)), "'x_mean' has shape (3,), expected (2,)"),
    "y_std shape": (set_array("y_std", np.ones((1, 3))), "'y_std' has shape (1, 3)"),
    "meta units": (bad_layers, "layer 1 weights have shape (2, 4) but meta gives it 5 units"),
    "meta outputs": (set_meta("outputs", ["a", "b"]), "3 units but 2 outputs"),
    "meta inputs": (set_meta("inputs", ["a"]), "there are 1 inputs"),
    # dtypes and values
    "int weights": (
        set_array("W1", np.zeros((2, 4), dtype=np.int64)),
        "'W1' must be float32 or float64, not int64",
    ),
    "float16 biases": (set_array("b2", np.zeros(3, np.float16)), "float32 or float64"),
    "complex scaler": (set_array("x_mean", np.zeros(2, complex)), "float32 or float64"),
    "string weights": (set_array("W2", np.full((4, 3), "x")), "float32 or float64"),
    "record dtype": (set_array("W2", np.zeros((4, 3), "f8,f8")), "records"),
    "mixed dtypes": (set_array("b1", np.zeros(4, np.float32)), "same dtype"),
    "meta dtype": (
        set_meta("dtype", "float32"),
        "meta says dtype 'float32' but the weights are float64",
    ),
    "NaN weight": (
        set_array("W1", np.full((2, 4), np.nan)),
        "layer 1 weights contain NaN or infinity",
    ),
    "inf bias": (
        set_array("b2", np.array([0, np.inf, 0])),
        "layer 2 weights contain NaN or infinity",
    ),
    "NaN mean": (set_array("y_mean", np.array([0, np.nan, 0])), "'y_mean' or 'y_std' contains NaN"),
    "zero std": (set_array("x_std", np.array([1.0, 0.0])), "'x_std' has a standard deviation <= 0"),
    "negative std": (
        set_array("y_std", np.array([1.0, -2.0, 1.0])),
        "'y_std' has a standard deviation <= 0",
    ),
    # meta
    "bad JSON": (set_array("meta", "{'format': 'nngui-model'"), "'meta' is not valid JSON"),
    "JSON list": (set_array("meta", "[1, 2]"), "'meta' must be a JSON object, not list"),
    "meta 1-D": (set_array("meta", np.array(["{}"])), "'meta' must be a 0-d text array"),
    "meta bytes": (set_array("meta", np.array(b"{}")), "'meta' must be a 0-d text array"),
    "meta number": (set_array("meta", np.array(1.0)), "'meta' must be a 0-d text array"),
    "weights_epoch past the history": (set_meta("weights_epoch", 7), "from 0 to the 6 epochs"),
    "weights_epoch negative": (set_meta("weights_epoch", -1), "weights_epoch must be"),
    "weights_epoch text": (set_meta("weights_epoch", "3"), "weights_epoch must be"),
    "weights_epoch bool": (set_meta("weights_epoch", True), "weights_epoch must be"),
    "wrong format": (set_meta("format", "keras"), "not an nngui model (format 'keras'"),
    "no format": (set_meta("format", ...), "not an nngui model"),
    "unknown activation": (
        lambda a, m: m["layers"][0].update(activation="swish"),
        "unknown activation 'swish'",
    ),
    "units not int": (lambda a, m: m["layers"][0].update(units="4"), "layer 1 must be"),
    "layers not list": (set_meta("layers", {"units": 4}), "'layers' must be a list"),
    "layer not object": (lambda a, m: m["layers"].__setitem__(0, 4), "layer 1 must be"),
    "empty name": (set_meta("inputs", ["a", " "]), "non-empty strings"),
    "name not str": (set_meta("outputs", ["a", "b", 3]), "non-empty strings"),
    "names not list": (set_meta("inputs", "ab"), "'inputs' must be a list"),
    "bad data": (lambda a, m: m["data"].update(samples=3), "invalid settings: samples must be"),
    "incomplete data": (
        set_meta("data", {"ranges": []}),
        "invalid settings: data settings are incomplete",
    ),
    "data list": (set_meta("data", [1]), "'data' must be a JSON object or null"),
    "data counts": (
        lambda a, m: m["data"].update(targets=["a+b"]),
        "the data settings give 2 inputs and 1 outputs",
    ),
    "bad training": (set_meta("training", {"lr": -1}), "invalid settings: learning rate"),
    "training str": (set_meta("training", "fast"), "'training' must be a JSON object"),
    "bad outcome": (set_meta("outcome", "exploded"), "unknown outcome 'exploded'"),
    "metrics list": (set_meta("metrics", [1]), "metrics must be a JSON object"),
    # history
    "epochs mismatch": (lambda a, m: m.update(epochs=m["epochs"] + 1), "but the history has"),
    "epochs negative": (set_meta("epochs", -1), "'epochs' must be a whole number"),
    "history 2-D": (
        set_array("history_train_loss", np.zeros((2, 2))),
        "'history_train_loss' must be 1-D",
    ),
    "history ints": (
        lambda a, m: a.update(history_val_loss=np.zeros(5, int)),
        "float32 or float64",
    ),
    "eval negative": (
        lambda a, m: a["history_eval_epochs"].__setitem__(1, -1),
        "whole numbers >= 0",
    ),
    "eval length": (set_array("history_test_loss", np.zeros(99)), "differ in length"),
}


@pytest.mark.parametrize("case", HOSTILE_CASES)
def test_invalid_contents_are_rejected(case: str, tmp_path: Path) -> None:
    change, fragment = HOSTILE_CASES[case]
    arrays, meta = saved_parts(base_model(), tmp_path)
    arrays["meta"] = meta
    change(arrays, meta)
    if isinstance(arrays.get("meta"), dict):
        arrays["meta"] = json.dumps(arrays["meta"])
    assert_rejected(write_archive(tmp_path / "m.npz", arrays), fragment)


def huge_meta(n_inputs: int, units: list[int]) -> str:
    """Meta for a network of the given sizes."""
    layers = [{"units": u, "activation": "relu"} for u in units]
    names = [f"n{i}" for i in range(n_inputs)], [f"o{i}" for i in range(units[-1])]
    return json.dumps({"format": FORMAT_NAME, "version": 1, "layers": layers,
                       "inputs": names[0], "outputs": names[1]})  # fmt: skip


def test_gigantic_shape_headers_are_rejected_before_reading(tmp_path: Path) -> None:
    meta = huge_meta(2, [4])
    raw = {"W1.npy": header_only((10**12, 4)), "b1.npy": header_only((4,))}
    path = write_archive(tmp_path / "m.npz", {"meta": meta}, raw)
    assert_rejected(path, "layer 1 weights have shape (1000000000000, 4)")
    arrays, meta_obj = saved_parts(base_model(), tmp_path)
    arrays["meta"] = json.dumps(meta_obj)
    del arrays["history_train_loss"]
    raw = {"history_train_loss.npy": header_only((200_000_000,))}
    assert_rejected(write_archive(tmp_path / "h.npz", arrays, raw), "more than 10,000,000 points")


def test_too_many_parameters_rejected_from_headers(tmp_path: Path) -> None:
    units = [4096, 4096, 4096, 4096]
    sizes = [2, *units]
    raw = {}
    for l in range(1, len(sizes)):
        raw[f"W{l}.npy"] = header_only((sizes[l - 1], sizes[l]))
        raw[f"b{l}.npy"] = header_only((sizes[l],))
    path = write_archive(tmp_path / "m.npz", {"meta": huge_meta(2, units)}, raw)
    assert_rejected(path, "more than 50,000,000 parameters")


def test_too_many_units_or_layers(tmp_path: Path) -> None:
    path = write_archive(tmp_path / "u.npz", {"meta": huge_meta(2, [5000])})
    assert_rejected(path, "layer 1", "4096 units")
    path = write_archive(tmp_path / "l.npz", {"meta": huge_meta(2, [1] * 65)})
    assert_rejected(path, "1 to 64 layers")


def test_oversized_meta_rejected_from_header(tmp_path: Path) -> None:
    path = write_archive(tmp_path / "m.npz", {}, {"meta.npy": header_only((), "<U20000000")})
    assert_rejected(path, "'meta' is larger than 10,000,000 characters")


def test_too_many_members(tmp_path: Path) -> None:
    raw = {f"x{i}.npy": header_only((1,)) for i in range(1100)}
    assert_rejected(write_archive(tmp_path / "m.npz", {}, raw), "more than 1024 members")


def test_unknown_extra_arrays_are_ignored(tmp_path: Path) -> None:
    arrays, meta = saved_parts(base_model(), tmp_path)
    arrays.update(meta=json.dumps(meta), notes=np.arange(3), W0=np.zeros(1))
    assert_same_model(base_model(), load_model(write_archive(tmp_path / "m.npz", arrays)))


def test_flipped_bit_in_weights_is_caught_by_the_checksum(old_file: Path) -> None:
    data = bytearray(old_file.read_bytes())
    with zipfile.ZipFile(old_file) as zf:
        info = zf.getinfo("W1.npy")
    name_len, extra_len = np.frombuffer(data, "<u2", 2, info.header_offset + 26)
    start = info.header_offset + 30 + int(name_len) + int(extra_len)
    data[start + info.file_size - 3] ^= 0x10  # inside the last weight
    old_file.write_bytes(bytes(data))
    assert_rejected(old_file, "Bad CRC-32 for file 'W1.npy'")


# ----- hostile files (loader hardening) ---------------------------------------------------
def forged_npy(header: bytes, version: int = 1, length: int | None = None) -> bytes:
    """A .npy member with a raw header text and a chosen header-length field."""
    n = len(header) if length is None else length
    return (
        b"\x93NUMPY" + bytes([version, 0]) + n.to_bytes(2 if version == 1 else 4, "little") + header
    )


def test_header_length_shorter_than_the_header(tmp_path: Path) -> None:
    header = b"{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }"
    raw = {"W1.npy": forged_npy(header, length=20) + b"\0" * 24}
    path = write_archive(tmp_path / "m.npz", {"meta": huge_meta(2, [4])}, raw)
    assert_rejected(path, "'W1.npy' has a damaged .npy header")


def test_huge_header_length_is_refused_before_reading(tmp_path: Path) -> None:
    raw = {"W1.npy": forged_npy(b"{}", version=2, length=2**31)}
    path = write_archive(tmp_path / "m.npz", {"meta": huge_meta(2, [4])}, raw)
    assert_rejected(path, "'W1.npy' declares a 2,147,483,648-byte .npy header")


def test_declared_data_larger_than_the_member_is_refused(tmp_path: Path) -> None:
    arrays, meta = saved_parts(base_model(), tmp_path)
    arrays["meta"] = json.dumps(meta)
    n = len(arrays.pop("history_train_loss"))
    raw = {"history_train_loss.npy": header_only((n,))}  # the header alone, no data
    message = f"'history_train_loss' declares {8 * n:,} bytes of data but holds 0"
    assert_rejected(write_archive(tmp_path / "m.npz", arrays, raw), message)


def test_encrypted_member_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.npz"
    save_model(base_model(), path)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("meta.npy")
    # set the encryption flag in both the local and every central header of meta.npy
    data[info.header_offset + 6] |= 0x1
    pos = data.find(b"PK\x01\x02")
    while pos != -1:
        name_len = int.from_bytes(data[pos + 28 : pos + 30], "little")
        if data[pos + 46 : pos + 46 + name_len] == b"meta.npy":
            data[pos + 8] |= 0x1
        pos = data.find(b"PK\x01\x02", pos + 4)
    path.write_bytes(bytes(data))
    assert_rejected(path, "'meta.npy' is encrypted; encrypted members are not supported")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    path = tmp_path / "model.npz"
    os.mkfifo(path)
    assert_rejected(path, "not a regular file")


@pytest.mark.parametrize(
    ("key", "value", "fragment"),
    [
        ("noise", 10**400, "a number too large"),
        ("metrics", {"r2": [1, -(10**400)]}, "a number too large"),
        ("metrics", {"r2": 1e301}, "1e+301"),
        ("training", float("nan"), "nan"),
        ("outputs", ["\ud800"], "U+D800"),
        ("inputs", ["a\x00b", "c"], "U+0000"),
        ("metrics", {"bad\x1bkey": 1.0}, "U+001B"),
    ],
)
def test_meta_numbers_and_text_are_checked(
    key: str, value: Any, fragment: str, tmp_path: Path
) -> None:
    arrays, meta = saved_parts(base_model(), tmp_path)
    if key == "noise":
        meta["data"][key] = value
    else:
        meta[key] = value
    arrays["meta"] = json.dumps(meta)
    assert_rejected(write_archive(tmp_path / "m.npz", arrays), fragment)


def test_huge_number_in_ranges_is_refused(tmp_path: Path) -> None:
    arrays, meta = saved_parts(base_model(), tmp_path)
    meta["data"]["ranges"][0][1] = 10**400
    arrays["meta"] = json.dumps(meta)
    assert_rejected(write_archive(tmp_path / "m.npz", arrays), "a number too large")


def test_a_long_history_is_held_once_after_loading(tmp_path: Path) -> None:
    """The history is read into its arrays and adopted, not copied again (10M points = 80 MB)."""
    import tracemalloc

    n = 400_000
    evals = np.arange(0, n + 1, 10.0)
    history = History.from_arrays({
        "train_loss": np.linspace(2, 1, n), "eval_epochs": evals,
        "val_loss": np.full(len(evals), np.nan), "test_loss": np.ones(len(evals)),
    })  # fmt: skip
    path = tmp_path / "long.npz"
    save_model(dataclasses.replace(base_model(), history=history), path)
    raw = 8 * (n + 5 * len(evals))  # evals, the two losses and the two accuracies
    tracemalloc.start()
    try:
        model = load_model(path)
        held, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert model.history.epochs == n
    assert held < 1.2 * raw, f"{held:,} bytes held for {raw:,} bytes of history"
    assert peak < 1.5 * raw, f"{peak:,} bytes at the peak for {raw:,} bytes of history"
