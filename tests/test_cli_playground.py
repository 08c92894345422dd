"""``nngui train --dataset``: classifiers on Playground's sets from the command line, and what
info, predict and evaluate say of them."""

from __future__ import annotations

import json

import pytest

from nngui.cli import main
from nngui.core.model_file import load_model


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def circle(capsys, tmp_path):
    path = tmp_path / "circle.npz"
    code, out, err = run(capsys, "train", "--dataset", "circle", "--preset", "fast",
                         "--epochs", "300", "--json", "--out", path)  # fmt: skip
    assert code == 0, err
    return path, json.loads(out)


def test_train_reports_a_classifiers_accuracy_classes_and_confusion(circle):
    path, report = circle
    assert report["task"] == "classification" and report["classes"] == ["-1", "1"]
    assert report["test_accuracy"] >= 0.97 and report["test_log_loss"] < 0.3
    assert sum(map(sum, report["confusion"])) == 250, "Playground's split: half to test"
    model = load_model(path)
    assert model.network.layers[-1].activation == "sigmoid" and model.network.n_outputs == 1
    assert model.data_spec.dataset == "circle" and model.data_spec.points == 500


def test_info_predict_and_evaluate_speak_of_classes(capsys, circle):
    path, report = circle
    code, out, _ = run(capsys, "info", path)
    assert code == 0 and "Playground's circle: 500 points" in out
    code, info, _ = run(capsys, "info", path, "--json")
    assert json.loads(info)["task"] == "classification"
    assert json.loads(info)["classes"] == ["-1", "1"]
    assert "test  accuracy" in out and "confusion (rows: true class" in out
    code, out, _ = run(capsys, "predict", path, "0,0", "4.5,0")
    first, second = out.splitlines()
    assert first.startswith("1,") and second.startswith("-1,")
    assert sum(float(v) for v in first.split(",")[1:]) == pytest.approx(1.0)
    code, out, _ = run(capsys, "predict", path, "0,0", "--json")
    assert json.loads(out)[0]["class"] == "1"
    code, out, _ = run(capsys, "evaluate", path)
    assert code == 0 and out.startswith("train accuracy")
    code, out, _ = run(capsys, "evaluate", path, "--json")
    assert json.loads(out)["metrics"]["test"]["accuracy"] == pytest.approx(report["test_accuracy"])


def test_features_noise_and_regression_sets(capsys, tmp_path):
    options = ["--features", "x1,x2,x1x2", "--noise", "10", "--points", "200", "--epochs", "20"]
    code, out, err = run(capsys, "train", "--dataset", "xor", *options, "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["params"] == 3 * 4 + 4 + 4 * 4 + 4 + 4 + 1
    code, out, err = run(capsys, "train", "--dataset", "plane", "--epochs", "20", "--json")
    assert code == 0 and json.loads(out)["task"] == "regression"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--dataset", "circle", "--csv", "x.csv"], "--csv is not for --dataset"),
        (["--dataset", "circle", "--samples", "100"], "--samples is not for --dataset"),
        (["--dataset", "circle", "--noise", "70"], "a percentage from 0 to 50"),
        (["--dataset", "circle", "--features", "x1,x9"], "unknown feature 'x9'"),
        (["--dataset", "circle", "--points", "3"], "points must be"),
        (["--points", "50"], "--points needs --dataset"),
        (["--dataset", "xor", "--output-activation", "linear"], "follows its task"),
        (["--dataset", "moons"], "invalid choice: 'moons'"),
        (["--dataset", "plane", "--class-weight", "balanced"], "--class-weight is for classifiers"),
        (["--class-weight", "balanced"], "--class-weight is for classifiers"),
    ],
)
def test_bad_requests_exit_2_with_one_line(capsys, argv, message):
    code, _, err = run(capsys, "train", *argv)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1, err


def test_the_fast_preset_has_its_own_shape_for_a_classifier(capsys, tmp_path):
    from nngui.core.presets import FAST, FAST_CLASSIFIER, preset_for_task

    assert preset_for_task(FAST, "classification") is FAST_CLASSIFIER
    assert preset_for_task(FAST, "regression") is FAST
    path = tmp_path / "spiral.npz"
    code, _, err = run(capsys, "train", "--dataset", "spiral", "--preset", "fast",
                         "--epochs", "50", "--out", path, "--quiet")  # fmt: skip
    assert code == 0, err
    model = load_model(path)
    assert [layer.units for layer in model.network.layers] == [32, 32, 1]
    assert model.train_config.lr == 0.01 and model.train_config.batch_size == 53
