"""Tests of the ``nngui`` command: in-process through ``main(argv)``, a few as subprocesses."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
import types
from pathlib import Path

import numpy as np
import pytest

from nngui import cli
from nngui.cli_args import parse_hidden, protect_negative_numbers, split_top_level
from nngui.core.model_file import ModelFileError, load_model, save_model
from nngui.core.training import Progress

ROOT = Path(__file__).resolve().parents[1]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run ``nngui argv`` in-process; return (exit status, stdout, stderr)."""
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    """Run a command with --json that must succeed; return the parsed object."""
    code, out, err = run(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


def run_subprocess(*argv: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run ``python -m nngui argv`` in a fresh interpreter."""
    return subprocess.run(
        [sys.executable, "-m", "nngui", *map(str, argv)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )


@pytest.fixture(scope="module")
def model_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A seed-setup model trained for 50 epochs."""
    path = tmp_path_factory.mktemp("cli") / "seed.npz"
    assert cli.main(["train", "--epochs", "50", "--quiet", "--out", str(path)]) == 0
    return path


# ----- train ------------------------------------------------------------------------------
def test_seed_fidelity_after_1000_epochs(capsys):
    report = run_json(capsys, "train", "--epochs", "1000")
    assert report["test_seed_loss"] == pytest.approx(0.56108, abs=1e-4)
    assert report["outcome"] == "completed"
    assert report["epochs"] == 1000


def test_seed_fidelity_untrained(capsys):
    report = run_json(capsys, "train", "--epochs", "0")
    assert report["test_seed_loss"] == pytest.approx(3.5916, abs=1e-4)
    assert report["params"] == 47


def test_train_json_report_and_saved_model(capsys, tmp_path):
    out = tmp_path / "m.npz"
    report = run_json(capsys, "train", "--epochs", "20", "--out", out)
    required = {"epochs", "seconds", "params", "outcome", "train_loss", "test_loss",
                "test_seed_loss", "test_rmse", "test_mae", "test_r2", "outputs",
                "restored_epoch", "message", "out"}  # fmt: skip
    assert required <= report.keys()
    assert report["outputs"] == ["a+b", "a-b", "|a-b|"]
    for key in ("test_rmse", "test_mae", "test_r2"):
        assert len(report[key]) == 3 and all(isinstance(v, float) for v in report[key])
    assert report["out"] == str(out) and report["val_loss"] is None
    model = load_model(out)
    assert model.history.epochs == 20 and model.outcome == "completed"
    assert model.metrics["test"]["seed_loss"] == pytest.approx(report["test_seed_loss"])


def test_train_without_tty_prints_only_a_summary(capsys):
    code, out, err = run(capsys, "train", "--epochs", "200")
    assert code == 0 and err == ""
    assert out.count("\n") == 1 and out.startswith("completed: 200 epochs")
    assert "not saved" in out


def test_train_quiet_prints_nothing(capsys):
    assert run(capsys, "train", "--epochs", "5", "--quiet") == (0, "", "")


def test_progress_line_on_a_terminal(capsys, monkeypatch):
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    code, _, err = run(capsys, "train", "--epochs", "300", "--quiet")
    assert code == 0 and err == ""  # --quiet: no progress line even on a terminal
    code, _, err = run(capsys, "train", "--epochs", "300")
    assert code == 0
    assert err.startswith("\repoch ") and "/300" in err and "epochs/s" in err
    assert err.endswith("\n") and err.count("\n") == 1


def test_progress_line_rewrites_itself():
    stream = __import__("io").StringIO()
    line = cli.ProgressLine(stream)
    line(Progress(10, 100, 0.5, float("nan"), 0.25, 1.0, 10.0))
    line(Progress(20, 100, 0.4, 0.3, 0.2, 2.0, 10.0))
    line.close()
    first, second = stream.getvalue().split("\r")[1:]
    assert "val" not in first and "val 0.3" in second
    assert second.endswith("\n")


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ([], [(4, "relu"), (4, "relu"), (3, "linear")]),
        (["--hidden", "8:tanh,4", "--activation", "sigmoid"],
         [(8, "tanh"), (4, "sigmoid"), (3, "linear")]),
        (["--hidden", "none"], [(3, "linear")]),
        (["--hidden", "16", "--output-activation", "tanh", "--targets", "a*b"],
         [(16, "relu"), (1, "tanh")]),
        (["--hidden", " 5:leaky_relu , 3 "], [(5, "leaky_relu"), (3, "relu"), (3, "linear")]),
    ],
)  # fmt: skip
def test_hidden_layers(capsys, tmp_path, options, expected):
    out = tmp_path / "m.npz"
    assert run(capsys, "train", "--epochs", "0", "--quiet", "--out", out, *options)[0] == 0
    layers = load_model(out).network.layers
    assert [(layer.units, layer.activation) for layer in layers] == expected


def test_data_options_and_negative_ranges(capsys, tmp_path):
    out = tmp_path / "m.npz"
    code, _, err = run(capsys, "train", "--epochs", "0", "--quiet", "--out", out,
                       "--samples", "500", "--low", "-10,-5", "--high", "-1e0,5",
                       "--targets", "a*b,max,min(a,b)", "--noise", "0.5", "--seed", "7",
                       "--train-ratio", "0.6")  # fmt: skip
    assert code == 0, err
    spec = load_model(out).data_spec
    assert spec.ranges == ((-10.0, -1.0), (-5.0, 5.0))
    assert spec.targets == ("a*b", "max(a,b)", "min(a,b)")
    assert (spec.samples, spec.noise, spec.seed, spec.train_ratio) == (500, 0.5, 7, 0.6)


def test_training_options_reach_the_config(capsys, tmp_path):
    out = tmp_path / "m.npz"
    code, _, err = run(capsys, "train", "--epochs", "3", "--quiet", "--out", out,
                       "--optimizer", "momentum", "--lr", "0.02", "--batch-size", "128",
                       "--momentum", "0.8", "--l2", "0.001", "--init", "xavier")  # fmt: skip
    assert code == 0, err
    c = load_model(out).train_config
    assert (c.optimizer, c.lr, c.batch_size, c.momentum, c.l2, c.init, c.epochs) == (
        "momentum",
        0.02,
        128,
        0.8,
        0.001,
        "xavier",
        3,
    )


def test_float32(capsys, tmp_path):
    out = tmp_path / "m.npz"
    r32 = run_json(capsys, "train", "--epochs", "100", "--dtype", "float32", "--out", out)
    r64 = run_json(capsys, "train", "--epochs", "100")
    assert r32["test_seed_loss"] == pytest.approx(r64["test_seed_loss"], rel=1e-3)
    model = load_model(out)
    assert model.train_config.dtype == "float32"
    assert model.network.params[0].dtype == np.float32


def test_init_from_continues_history(capsys, tmp_path):
    first, second = tmp_path / "a.npz", tmp_path / "b.npz"
    run_json(capsys, "train", "--epochs", "150", "--out", first)
    report = run_json(capsys, "train", "--init-from", first, "--epochs", "150", "--out", second)
    straight = run_json(capsys, "train", "--epochs", "300")
    assert (report["epochs"], report["epochs_run"]) == (300, 150)
    # Full-batch gradient descent has no optimiser state: 150 + 150 epochs equal 300 epochs.
    assert report["test_seed_loss"] == pytest.approx(straight["test_seed_loss"], rel=1e-9)
    a, b = load_model(first), load_model(second)
    np.testing.assert_array_equal(b.history.train_loss.values[:150], a.history.train_loss.values)
    assert b.history.train_loss.values[150] < a.history.train_loss.values[-1]
    np.testing.assert_array_equal(b.x_scaler.mean, a.x_scaler.mean)


def test_init_from_overrides_training_settings(capsys, tmp_path):
    first, second = tmp_path / "a.npz", tmp_path / "b.npz"
    run_json(capsys, "train", "--epochs", "5", "--out", first)
    report = run_json(capsys, "train", "--init-from", first, "--optimizer", "adam",
                      "--lr", "0.001", "--out", second)  # fmt: skip
    assert report["epochs_run"] == 5  # the model's own --epochs is the default
    config = load_model(second).train_config
    assert (config.optimizer, config.lr) == ("adam", 0.001)


def test_early_stopping(capsys, tmp_path):
    out = tmp_path / "m.npz"
    report = run_json(capsys, "train", "--val-ratio", "0.15", "--patience", "15",
                      "--optimizer", "adam", "--lr", "0.05", "--batch-size", "64",
                      "--epochs", "5000", "--time-limit", "20", "--out", out)  # fmt: skip
    assert report["outcome"] == "early_stopped"
    assert report["restored_epoch"] is not None and report["val_loss"] is not None
    assert report["epochs"] < 5000 and "val" in report["metrics"]
    assert load_model(out).outcome == "early_stopped"


def test_time_limit(capsys):
    report = run_json(capsys, "train", "--epochs", "100000000", "--time-limit", "0.5")
    assert report["outcome"] == "time_limit"
    assert 0 < report["epochs"] < 100_000_000


def test_divergence_is_reported_and_saved_finite(capsys, tmp_path):
    out = tmp_path / "m.npz"
    code, stdout, err = run(capsys, "train", "--lr", "10", "--optimizer", "gd",
                            "--epochs", "2000", "--out", out, "--json")  # fmt: skip
    assert code == 0
    report = json.loads(stdout)
    assert report["outcome"] == "diverged"
    assert "diverged" in err and "Traceback" not in err
    model = load_model(out)
    assert model.outcome == "diverged" and model.network.is_finite()


def test_failed_save_is_reported_with_status_1(capsys, monkeypatch, tmp_path):
    def fail(model, path):
        raise ModelFileError(f"{path}: could not save: no space left on device")

    monkeypatch.setattr(cli, "save_model", fail)
    code, out, err = run(capsys, "train", "--epochs", "3", "--json", "--out", tmp_path / "m.npz")
    assert code == 1
    assert json.loads(out)["out"] is None
    assert err == f"nngui: {tmp_path / 'm.npz'}: could not save: no space left on device\n"


# ----- bad arguments ----------------------------------------------------------------------
BAD_TRAIN_ARGS = [
    ["--hidden", "4,x"],
    ["--hidden", "4:foo"],
    ["--hidden", "0,4"],
    ["--activation", "swish"],
    ["--samples", "5"],
    ["--samples", "many"],
    ["--lr", "0"],
    ["--lr", "nan"],
    ["--low", "5", "--high", "1"],
    ["--low", "1,2,3"],
    ["--targets", "a+b,foo"],
    ["--optimizer", "rmsprop"],
    ["--epochs", "-1"],
    ["--patience", "5"],
    ["--val-ratio", "0.9"],
    ["--time-limit", "-1"],
    ["--frobnicate"],
    ["--out", "model.txt"],
    ["--out", "/no/such/folder/m.npz"],
    ["--init-from", "/no/such/model.npz"],
]


@pytest.mark.parametrize("options", BAD_TRAIN_ARGS, ids=" ".join)
def test_bad_train_arguments(capsys, options):
    # --epochs is huge so that a late check would hang the test instead of passing.
    code, out, err = run(capsys, "train", "--epochs", "100000000", *options)
    assert code == 2
    assert out == ""
    assert err.startswith("nngui: ") and err.count("\n") == 1
    assert "Traceback" not in err


def test_bad_argument_messages_say_what_to_fix(capsys):
    err = run(capsys, "train", "--hidden", "4,x")[2]
    assert "'x' is not a layer; write units or units:activation, e.g. 8:tanh,4" in err
    assert "(see nngui train --help)" in err
    err = run(capsys, "train", "--frobnicate")[2]
    assert "(see nngui train --help)" in err


@pytest.mark.parametrize("value", ["0", "", " ", "0,4", " 0:tanh "])
def test_only_none_means_no_hidden_layer(capsys, value):
    # --epochs 0: if the value were accepted, the test would fail at once rather than hang.
    code, out, err = run(capsys, "train", "--epochs", "0", "--hidden", value)
    assert code == 2 and out == ""
    assert "use 'none' for no hidden layer" in err and err.count("\n") == 1


def test_init_from_rejects_data_and_layer_options(capsys, model_path):
    code, _, err = run(capsys, "train", "--init-from", model_path, "--hidden", "8")
    assert code == 2 and "--hidden cannot be used with --init-from" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["predict", "missing.npz", "1,2"],
        ["predict", "{model}"],
        ["predict", "{model}", "1,x"],
        ["predict", "{model}", "1,2,3"],
        ["predict", "{model}", "-1,2,3"],
        ["evaluate", "missing.npz"],
        ["info"],
        ["info", "{folder}"],
        ["info", "{garbage}"],
        ["trian"],
        ["missing.npz"],
        ["{garbage}"],
        ["--bogus"],
    ],
    ids=" ".join,
)
def test_bad_model_arguments(capsys, model_path, tmp_path, argv):
    garbage = tmp_path / "garbage.npz"
    garbage.write_bytes(b"not a model")
    names = {"model": model_path, "folder": tmp_path, "garbage": garbage}
    code, out, err = run(capsys, *(a.format(**names) for a in argv))
    assert code == 2 and out == ""
    assert err.startswith("nngui: ") and err.count("\n") == 1 and "Traceback" not in err


def test_a_plain_npz_is_not_a_model(capsys, tmp_path):
    np.savez(tmp_path / "x.npz", x=np.arange(3))
    code, out, err = run(capsys, "info", tmp_path / "x.npz")
    assert (code, out) == (2, "")
    assert err == f"nngui: {tmp_path / 'x.npz'}: not an nngui model file (it has no 'meta' entry)\n"


def test_help_texts(capsys):
    for argv in ([], ["train"], ["predict"], ["evaluate"], ["info"]):
        code, out, _ = run(capsys, *argv, "--help")
        assert code == 0 and "usage: nngui" in out
    out = run(capsys, "train", "--help")[1]
    assert "(default: 0.01)" in out and "(default: 4,4)" in out and "interrupted" in out


def test_argument_helpers():
    assert parse_hidden("8:tanh,4") == [(8, "tanh"), (4, None)]
    assert parse_hidden(" None ") == []
    assert split_top_level("a+b,max(a,b), |a-b|") == ["a+b", "max(a,b)", "|a-b|"]
    assert protect_negative_numbers(["-3,4", "--low", "-1e3,.5", "-x,1", "-3", "--json"]) == [
        " -3,4", "--low", " -1e3,.5", "-x,1", " -3", "--json"
    ]  # fmt: skip


# ----- predict, evaluate, info ------------------------------------------------------------
def test_predict_matches_model_predict(capsys, model_path):
    points = ["30,70", "-3,4", "-1e1,-2.5", "0.5,100"]
    code, out, err = run(capsys, "predict", model_path, *points)
    assert code == 0, err
    rows = [[float(v) for v in line.split(",")] for line in out.splitlines()]
    x = np.array([[30, 70], [-3, 4], [-10, -2.5], [0.5, 100]])
    expected = load_model(model_path).predict(x)
    np.testing.assert_allclose(rows, expected, rtol=1e-9)
    code, out, _ = run(capsys, "predict", "--json", model_path, *points)
    np.testing.assert_array_equal(json.loads(out), expected)


def test_evaluate(capsys, model_path):
    code, out, err = run(capsys, "evaluate", model_path)
    assert code == 0, err
    for word in ("train", "test", "a+b", "a-b", "|a-b|", "RMSE", "R²"):
        assert word in out
    report = run_json(capsys, "evaluate", model_path)
    model = load_model(model_path)
    expected = model.evaluate(model.regenerate_data())
    assert report["metrics"]["test"]["rmse"] == pytest.approx(expected["test"]["rmse"])
    assert report["outputs"] == ["a+b", "a-b", "|a-b|"]


def test_info(capsys, model_path):
    code, out, err = run(capsys, "info", model_path)
    assert code == 0, err
    assert "2 → 4 relu → 4 relu → 3 linear" in out
    assert "47" in out and "10,000 samples" in out and "50 (completed)" in out
    info = run_json(capsys, "info", model_path)
    assert (info["params"], info["epochs"], info["outcome"]) == (47, 50, "completed")
    assert info["data"]["seed"] == 42 and info["training"]["lr"] == 0.01
    assert set(info["metrics"]) == {"train", "test"}
    assert info["weights_epoch"] is None and "weights" not in out.split("epochs")[0]


def test_train_records_and_info_shows_restored_weights(capsys, tmp_path):
    path = tmp_path / "diverged.npz"
    code, _, err = run(capsys, "train", "--lr", "10", "--epochs", "1000", "--out", path)
    assert code == 0 and "diverged" in err
    kept = load_model(path).weights_epoch
    assert kept is not None and kept < load_model(path).history.epochs
    code, out, _ = run(capsys, "info", path)
    assert f"of epoch {kept:,} (restored by training)" in out
    assert run_json(capsys, "info", path)["weights_epoch"] == kept
    # Continued, the weights keep their epoch (not the history's last one).
    again = tmp_path / "again.npz"
    code, _, err = run(capsys, "train", "--init-from", path, "--epochs", "0", "--out", again)
    assert code == 0, err
    assert load_model(again).weights_epoch == kept


def test_info_survives_metrics_in_an_unknown_layout(capsys, model_path, tmp_path):
    model = load_model(model_path)
    model.metrics = {"test": {"accuracy": 1.0}}
    save_model(model, tmp_path / "odd.npz")
    code, out, _ = run(capsys, "info", tmp_path / "odd.npz")
    assert code == 0 and "does not know (see info --json)" in out


# ----- the window -------------------------------------------------------------------------
class FakeGui(list):
    """The model paths run_app was called with; ``problem`` is what display_problem says."""

    problem: str | None = None


@pytest.fixture
def fake_gui(monkeypatch) -> FakeGui:
    """Replace nngui.gui.app by a module whose run_app records its argument."""
    calls = FakeGui()
    module = types.ModuleType("nngui.gui.app")
    module.run_app = lambda model_path=None, data_path=None: (
        calls.append(model_path if data_path is None else ("data", data_path)) or 0
    )
    module.display_problem = lambda environ, find_library, **probes: calls.problem
    monkeypatch.setitem(sys.modules, "nngui.gui.app", module)
    return calls


def test_no_arguments_open_the_window(capsys, fake_gui):
    assert run(capsys) == (0, "", "")
    assert fake_gui == [None]


def test_model_argument_opens_it_in_the_window(capsys, fake_gui, model_path):
    assert run(capsys, model_path)[0] == 0
    assert fake_gui == [str(model_path)]


def test_a_csv_argument_opens_the_import_view_and_a_bad_one_says_why(capsys, fake_gui, tmp_path):
    data = tmp_path / "d.csv"
    data.write_text("x,y\n1,2\n3,4\n")
    assert run(capsys, data)[0] == 0
    assert fake_gui == [("data", str(data))]
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    code, _, err = run(capsys, empty)
    assert code == 2 and "empty.csv" in err and "empty" in err and len(err.splitlines()) == 1
    assert fake_gui == [("data", str(data))]


def test_bad_model_does_not_open_the_window(capsys, fake_gui, tmp_path):
    assert run(capsys, tmp_path / "missing.npz")[0] == 2
    assert fake_gui == []


def test_display_problem_is_one_line_before_qt_starts(capsys, fake_gui, model_path, tmp_path):
    fake_gui.problem = "no display to open the window on (DISPLAY is not set). Run it …"
    for argv in ([], [model_path]):
        assert run(capsys, *argv) == (2, "", f"nngui: {fake_gui.problem}\n")
    assert fake_gui == []
    # A bad model file is reported first: it is the one thing the user can fix here.
    code, _, err = run(capsys, tmp_path / "missing.npz")
    assert code == 2 and "no such file" in err


def test_window_not_available(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "nngui.gui.app", None)  # makes the import fail
    code, out, err = run(capsys)
    assert code == 2 and out == ""
    assert err.startswith("nngui: the desktop window is not available: ")
    assert "train, predict, evaluate and info work headless" in err and err.count("\n") == 1


# ----- subprocesses -----------------------------------------------------------------------
def test_headless_commands_do_not_import_qt(model_path):
    code = (
        "import sys; from nngui.cli import main; "
        f"assert main(['info', {str(model_path)!r}]) == 0; "
        f"assert main(['predict', {str(model_path)!r}, '1,2']) == 0; "
        "assert main(['train', '--epochs', '2', '--quiet']) == 0; "
        "assert not [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph', 'nngui.gui'))]"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, timeout=60)  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_bad_file_gives_no_traceback(tmp_path):
    garbage = tmp_path / "garbage.npz"
    garbage.write_bytes(b"PK\x03\x04 truncated")
    result = run_subprocess("predict", garbage, "-3,4")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the check is for Linux")
@pytest.mark.parametrize("with_model", [False, True], ids=["nngui", "nngui MODEL"])
def test_no_display_exits_2_instead_of_aborting(model_path, with_model):
    # Without the check Qt aborts (exit status 134) with a message about xcb-cursor0.
    hidden = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "XDG_SESSION_TYPE",
              "XDG_RUNTIME_DIR")  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k not in hidden}
    argv = [model_path] if with_model else []
    result = subprocess.run([sys.executable, "-m", "nngui", *map(str, argv)], env=env,
                            capture_output=True, text=True, cwd=ROOT, timeout=60)  # fmt: skip
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("nngui: no display to open the window on (neither DISPLAY")
    assert result.stderr.count("\n") == 1 and "nngui train --help" in result.stderr


@pytest.mark.skipif(os.name != "posix", reason="needs POSIX signals and a pseudo-terminal")
def test_ctrl_c_stops_and_saves(tmp_path):
    import pty  # POSIX only

    out = tmp_path / "m.npz"
    # stderr on a pseudo-terminal: the progress line shows when training has begun.
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "nngui", "train", "--epochs", "100000000", "--json",
         "--out", str(out)],
        stdout=subprocess.PIPE, stderr=slave, text=True, cwd=ROOT,
    )  # fmt: skip
    os.close(slave)
    try:
        seen = read_terminal_until(master, proc, b"epochs/s")
        assert b"\repoch " in seen
        proc.send_signal(signal.SIGINT)
        read_terminal_until(master, proc, None)
        stdout = proc.stdout.read()
        proc.wait(timeout=30)
    finally:
        proc.kill()
        proc.stdout.close()
        os.close(master)
    assert proc.returncode == 0
    report = json.loads(stdout)
    assert report["outcome"] == "interrupted" and report["out"] == str(out)
    model = load_model(out)
    assert model.outcome == "interrupted" and model.history.epochs == report["epochs"] > 0


def read_terminal_until(fd: int, proc: subprocess.Popen, marker: bytes | None) -> bytes:
    """Read a pseudo-terminal until ``marker`` shows, or until the process ends (None)."""
    seen, deadline = b"", time.monotonic() + 30
    while time.monotonic() < deadline:
        if marker is not None and marker in seen:
            return seen
        if marker is None and proc.poll() is not None:
            return seen
        if select.select([fd], [], [], 0.1)[0]:
            try:
                seen += os.read(fd, 4096)
            except OSError:  # the process closed the terminal
                if marker is None:
                    return seen
    raise AssertionError(f"timed out; terminal showed {seen[-200:]!r}")


# ----- resource limits, checked before any work ------------------------------------------
def test_a_network_too_large_to_save_is_refused_before_training(capsys):
    assert cli.main(["train", "--hidden", "4096,4096,4096,4096", "--epochs", "1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "parameters, more than the 50,000,000" in err


def test_data_too_large_for_memory_is_refused_before_it_is_made(capsys):
    assert cli.main(["train", "--samples", "10000000", "--hidden", "4096", "--epochs", "1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "use fewer samples or units" in err


def test_memory_error_anywhere_is_one_line(capsys, monkeypatch):
    def exhausted(args):
        raise MemoryError

    monkeypatch.setitem(cli.COMMAND_FUNCTIONS, "train", exhausted)
    assert cli.main(["train"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("nngui: not enough memory")


def test_an_empty_init_from_is_refused(capsys):
    assert cli.main(["train", "--init-from", "", "--epochs", "1"]) == 2
    assert "--init-from needs the path" in capsys.readouterr().err


def test_a_prediction_that_overflows_is_refused(capsys, model_path):
    assert cli.main(["predict", str(model_path), "30,70", "-1e308,1e308"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert "point 2 (-1e308,1e308) overflowed" in err


def test_inside_refuses_outputs_without_a_formula(capsys, model_path, tmp_path):
    import json

    arrays = dict(np.load(model_path))
    meta = json.loads(str(arrays["meta"]))
    meta["outputs"] = ["x", "y", "z"]
    arrays["meta"] = np.array(json.dumps(meta))
    forged = tmp_path / "forged.npz"
    np.savez(forged, **arrays)
    assert cli.main(["inside", str(forged), "1,2"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "named by known formulas" in err and "'x', 'y', 'z'" in err


# ----- numeric options: refused with one line before any work, or working ------------------
@pytest.mark.parametrize(
    "value", ["1", "0", "-5", "1001", "100000", "1e3", "nan", "inf", "", "²", "9" * 5000]
)
def test_error_map_resolution_outside_its_range_is_refused(capsys, model_path, tmp_path, value):
    out = tmp_path / "e.csv"
    code, stdout, err = run(capsys, "export", model_path, "--error-map", out,
                            "--resolution", value)  # fmt: skip
    assert (code, stdout) == (2, "")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("nngui: --resolution: ") and "from 2 to 1,000" in err
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_error_map_resolution_range_is_the_core_one(capsys, model_path, tmp_path):
    from nngui.core.error_map import MAX_RESOLUTION, MIN_RESOLUTION
    from nngui.gui.views.error_map_view import RESOLUTION

    assert MIN_RESOLUTION <= RESOLUTION <= MAX_RESOLUTION
    out = tmp_path / "e.csv"
    code, _, err = run(capsys, "export", model_path, "--error-map", out,
                       "--resolution", MIN_RESOLUTION)  # fmt: skip
    assert code == 0, err
    assert len(out.read_text().splitlines()) == 1 + 3 * MIN_RESOLUTION**2
    assert f"{MIN_RESOLUTION} to {MAX_RESOLUTION:,}" in run(capsys, "export", "--help")[1]


def test_error_map_of_a_wide_network_goes_through_it_in_passes(monkeypatch):
    from nngui.core import error_map
    from nngui.core.data import DataSpec
    from nngui.core.model import Model as CoreModel
    from nngui.core.network import LayerSpec, Network
    from nngui.core.scaling import Scaler

    net = Network.initialise(2, [LayerSpec(64, "tanh"), LayerSpec(1, "linear")],
                             np.random.RandomState(0))  # fmt: skip
    model = CoreModel(net, Scaler(np.zeros(2), np.ones(2)), Scaler(np.zeros(1), np.ones(1)),
                      ("a", "b"), ("a+b",))  # fmt: skip
    ranges = DataSpec().ranges[:2]
    whole = error_map.error_grid(model, ("a+b",), ranges, 30)
    passes = []
    predict = model.predict
    monkeypatch.setattr(model, "predict", lambda x: passes.append(len(x)) or predict(x))
    monkeypatch.setattr(error_map, "PASS_VALUES", 64 * 100)  # 100 rows per pass
    chunked = error_map.error_grid(model, ("a+b",), ranges, 30)
    assert passes == [100] * 9
    np.testing.assert_allclose(chunked.prediction, whole.prediction, rtol=1e-12)


@pytest.mark.parametrize("value", ["-1", "2.5", "1e308", "nan", "inf", "-inf", "x", ""])
def test_error_map_extend_outside_its_range_is_refused(capsys, model_path, tmp_path, value):
    out = tmp_path / "e.csv"
    code, stdout, err = run(capsys, "export", model_path, "--error-map", out, "--extend", value)
    assert (code, stdout) == (2, "")
    assert err.startswith("nngui: --extend: ") and err.count("\n") == 1
    assert not out.exists()


BAD_NUMBERS = ["-1", "nan", "inf", "-inf", "", "x", "²", "1e400", "9" * 5000]


@pytest.mark.parametrize("value", BAD_NUMBERS)
@pytest.mark.parametrize(
    "option", ["--samples", "--seed", "--epochs", "--batch-size", "--patience", "--noise",
               "--lr", "--momentum", "--l2", "--time-limit", "--train-ratio", "--val-ratio",
               "--low", "--high"],
)  # fmt: skip
def test_bad_numbers_for_train_options(capsys, option, value):
    if (option, value) == ("--low", "-1"):
        value = "1e31"  # -1 is a good lowest input; beyond ±1e30 is not
    code, out, err = run(capsys, "train", "--epochs", "100000000", option, value)
    assert (code, out) == (2, "")
    assert err.startswith("nngui: ") and err.count("\n") == 1 and "Traceback" not in err
    assert len(err) < 300


@pytest.mark.parametrize("value", ["0", *BAD_NUMBERS])
@pytest.mark.parametrize("option", ["--samples", "--params"])
def test_bad_numbers_for_check_gradients(capsys, model_path, option, value):
    code, out, err = run(capsys, "check-gradients", model_path, option, value)
    assert (code, out) == (2, "")
    assert err.startswith(f"nngui: {option}: ") and err.count("\n") == 1 and len(err) < 300


@pytest.mark.parametrize(
    "options",
    [["--batch-size", "99999999999999999999"], ["--time-limit", "1e308"],
     ["--patience", "99999999999999999999", "--val-ratio", "0.1"]],
    ids=" ".join,
)  # fmt: skip
def test_huge_but_harmless_train_numbers_work(capsys, options):
    report = run_json(capsys, "train", "--epochs", "2", "--samples", "50", *options)
    assert report["outcome"] == "completed" and report["epochs"] == 2


def test_huge_check_gradients_numbers_use_what_there_is(capsys, model_path):
    code, out, err = run(capsys, "check-gradients", model_path, "--samples", "9" * 20,
                         "--params", "9" * 20)  # fmt: skip
    assert code in (0, 1) and "parameters on" in out and "Traceback" not in err


# ----- file names the system refuses: one line, before any work --------------------------
LONG_NAME = "n" * 252 + ".npz"  # 256 bytes: one more than NAME_MAX
LONGEST_NAME = "m" * 251 + ".npz"  # 255 bytes: legal


def assert_one_line_too_long(code: int, out: str, err: str) -> None:
    assert (code, out) == (2, "")
    assert err.startswith("nngui: ") and err.count("\n") == 1 and "Traceback" not in err
    assert "file name too long: at most 255 bytes per name (this one has 256)" in err


@pytest.mark.parametrize(
    "argv",
    [["info", "{long}"], ["predict", "{long}", "1,2"], ["evaluate", "{long}"],
     ["inside", "{long}", "1,2"], ["check-gradients", "{long}"],
     ["export", "{long}", "--history", "-"], ["export", "{model}", "--fit", "{long_csv}"],
     ["export", "{model}", "--error-map", "{long}/e.csv"],
     ["train", "--init-from", "{long}"], ["train", "--out", "{long}"],
     ["train", "--out", "{long}/m.npz"], ["{long}"], ["{long}/m.npz"]],
    ids=lambda argv: " ".join(argv).replace("{long}", "LONG"),
)  # fmt: skip
def test_a_file_name_over_255_bytes_is_one_line(capsys, fake_gui, model_path, tmp_path, argv):
    long = str(tmp_path / LONG_NAME)
    names = {"long": long, "long_csv": long[:-4] + ".csv", "model": model_path}
    argv = [a.format(**names) for a in argv]
    if argv[0] == "train":
        argv += ["--epochs", "100000000"]  # a late check would hang rather than pass
    assert_one_line_too_long(*run(capsys, *argv))
    assert fake_gui == []  # the window was not opened
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_255_byte_name_saves_and_loads(capsys, tmp_path):
    out = tmp_path / LONGEST_NAME
    code, _, err = run(capsys, "train", "--epochs", "1", "--samples", "50", "--quiet", "--out", out)
    assert code == 0, err
    assert os.listdir(tmp_path) == [LONGEST_NAME]  # no temporary file left beside it
    assert run(capsys, "info", out)[0] == 0
    csv_out = tmp_path / ("c" * 251 + ".csv")
    assert run(capsys, "export", out, "--history", csv_out)[0] == 0
    assert csv_out.read_text().startswith("epoch,")


def test_multibyte_names_count_bytes(capsys, tmp_path):
    name = "é" * 126 + ".npz"  # 130 characters, 256 bytes in UTF-8
    assert len(name) < 255 < len(os.fsencode(name))
    assert_one_line_too_long(*run(capsys, "train", "--epochs", "100000000", "--out",
                                  tmp_path / name))  # fmt: skip


def test_out_is_checked_before_training(capsys, monkeypatch, tmp_path):
    def never(*args, **kwargs):
        raise AssertionError("training started")

    monkeypatch.setattr(cli, "fresh_setup", never)
    (tmp_path / "folder.npz").mkdir()
    for out, message in [
        (tmp_path / "missing" / "m.npz", "does not exist; create it first"),
        (tmp_path / "folder.npz", "is a folder"),
        (tmp_path / LONG_NAME, "file name too long"),
        ("", "an empty file name"),
        ("m\x00.npz", "NUL character"),
    ]:
        code, out_text, err = run(capsys, "train", "--out", out)
        assert (code, out_text) == (2, ""), err
        assert err.startswith("nngui: --out: ") and message in err and err.count("\n") == 1


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True,
                    reason="root writes anywhere; needs POSIX permissions")  # fmt: skip
def test_out_in_a_read_only_folder_is_refused_before_training(capsys, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        code, _, err = run(capsys, "train", "--epochs", "100000000", "--out", folder / "m.npz")
    finally:
        folder.chmod(0o755)
    assert code == 2 and "cannot write in the folder" in err


def test_a_name_too_long_for_the_file_system_is_one_line(capsys, monkeypatch, model_path):
    import errno

    def too_long(path):
        raise OSError(errno.ENAMETOOLONG, "File name too long", str(path))

    monkeypatch.setattr(Path, "exists", too_long)  # a file system with a lower NAME_MAX
    code, out, err = run(capsys, "info", model_path)
    assert (code, out) == (2, "") and err.count("\n") == 1
    assert "file name too long for this file system" in err


def test_export_that_fails_while_writing_is_one_line(capsys, monkeypatch, model_path, tmp_path):
    import errno

    from nngui import cli_explain

    def full(path, text):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(cli_explain, "write_file", full)
    code, _, err = run(capsys, "export", model_path, "--fit", tmp_path / "f.csv")
    assert (
        code == 2
        and err == f"nngui: {tmp_path / 'f.csv'}: could not save: no space left on device\n"
    )


# ----- found by tests/test_cli_fuzz.py ----------------------------------------------------
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux names may be any bytes")
@pytest.mark.parametrize("command", ["info", "evaluate", "train"])
def test_a_file_name_that_is_not_utf8_prints(model_path, tmp_path, command):
    # Python holds the bytes \xff\x80 as lone surrogates; printing them failed on stdout
    # (UnicodeEncodeError) with --json and in info's text.
    odd = os.fsdecode(os.fsencode(str(tmp_path)) + b"/\xff\x80.npz")
    __import__("shutil").copy(model_path, odd)
    argv = (
        ["train", "--epochs", "1", "--samples", "50", "--out", odd]
        if command == "train"
        else [command, odd]
    )
    for extra in ([], ["--json"]):
        result = subprocess.run([sys.executable, "-m", "nngui", *argv, *extra],
                                capture_output=True, cwd=ROOT, timeout=60)  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert b"Traceback" not in result.stderr
        text = result.stdout.decode("utf-8")  # valid UTF-8: the bytes are shown as escapes
        if extra:
            shown = json.loads(text)["out" if command == "train" else "model"]
            assert shown.endswith("/\\xff\\x80.npz")
        elif command != "evaluate":
            assert "/\\xff\\x80.npz" in text


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_saving_over_a_pipe_is_refused_before_any_work(capsys, model_path, tmp_path):
    fifo = tmp_path / "pipe.npz"
    os.mkfifo(fifo)
    code, out, err = run(capsys, "train", "--epochs", "100000000", "--out", fifo)
    assert (code, out) == (2, "") and "is not a regular file" in err and err.count("\n") == 1
    code, out, err = run(capsys, "export", model_path, "--fit", fifo)
    assert (code, out) == (2, "") and "or - for stdout" in err
    assert fifo.is_fifo()  # not replaced by a regular file


@pytest.mark.parametrize("name", ["~,%s%n", "~no-such-user-here/m", "~"])
def test_a_tilde_without_a_home_is_one_line(capsys, model_path, tmp_path, monkeypatch, name):
    # Path.expanduser raised RuntimeError "Could not determine home directory" (a traceback).
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HOME", raising=False)
    monkeypatch.setattr("pwd.getpwuid", lambda uid: (_ for _ in ()).throw(KeyError(uid)))
    code, out, err = run(capsys, "train", "--epochs", "1", "--samples", "50", "--quiet",
                         "--out", name + ".npz")  # fmt: skip
    assert "Traceback" not in err
    if "/" in name:  # the folder ~no-such-user-here does not exist here
        assert (code, out) == (2, "") and err.count("\n") == 1 and "does not exist" in err
    else:  # a plain file name, saved as it is written
        assert (code, out, err) == (0, "", "") and (tmp_path / (name + ".npz")).is_file()
    code, out, err = run(capsys, "export", model_path, "--error-map", name, "--fit", "f.csv")
    assert "Traceback" not in err
    if "/" in name:
        assert (code, out) == (2, "") and err.count("\n") == 1 and "does not exist" in err
    else:
        assert (code, err) == (0, "") and (tmp_path / name).is_file()


@pytest.mark.parametrize("option", ["--history", "--fit", "--error-map"])
def test_export_never_writes_a_table_over_a_model_file(capsys, model_path, tmp_path, option):
    other = tmp_path / "other.npz"
    other.write_bytes(model_path.read_bytes())
    before = other.read_bytes()
    code, _, err = run(capsys, "export", model_path, option, other)
    assert code == 2 and err.count("\n") == 1
    assert "ends in .npz like a model file" in err and "give a name ending in .csv" in err
    assert other.read_bytes() == before, "the model file is untouched"
