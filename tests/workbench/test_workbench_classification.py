"""Workbench classifiers: Playground's sets and labelled CSV files, their output layers, runs."""

from __future__ import annotations

import numpy as np
import pytest

import nngui.core.setup as core_setup
from nngui.core.csv_dialect import sniff
from nngui.core.csv_source import CsvSpec
from nngui.core.data import DataSpec
from nngui.core.network import LayerSpec
from nngui.core.playground_source import PlaygroundSpec
from nngui.core.training import TrainConfig
from nngui.workbench import Settings, SettingsError, Workbench


@pytest.fixture
def bench():
    b = Workbench(Settings(DataSpec(samples=200)))
    b.start_fresh()
    return b


def train(bench: Workbench, epochs: int) -> None:
    trainer = bench.begin_run()
    result = trainer.run(epochs)
    bench.end_run(result.outcome, result)


def labelled_csv(tmp_path, classes=("setosa", "versicolor", "virginica")) -> CsvSpec:
    rng = np.random.default_rng(0)
    rows = []
    for i in range(90):
        k = i % len(classes)
        a, b = rng.normal(k * 3, 1), rng.normal(-k, 1)
        rows.append(f"{a:.4f},{b:.4f},{classes[k]}\n")
    path = tmp_path / "flowers.csv"
    path.write_text("a,b,species\n" + "".join(rows))
    return CsvSpec(str(path), ("a", "b"), ("species",), sniff(path))


def test_a_playground_set_makes_the_output_a_sigmoid_and_back(bench):
    bench.set_hidden([LayerSpec(8, "tanh")])
    assert bench.set_data_spec(PlaygroundSpec(dataset="spiral", points=200))
    assert bench.stack.undo_text() == "Use Playground's spiral set"
    assert bench.settings.layers == (LayerSpec(8, "tanh"), LayerSpec(1, "sigmoid"))
    ds = bench.session.dataset
    assert ds.task == "classification" and ds.classes == ("-1", "1")
    assert bench.session.network.sizes == [2, 8, 1]
    bench.set_data(dataset="circle")
    assert bench.stack.undo_text() == "Use Playground's circle set"
    bench.set_data(noise=0.1)
    assert bench.stack.undo_text() == "Set noise to 0.1"
    bench.set_data(features=("x1", "x2", "x1^2"))
    assert bench.session.network.sizes == [3, 8, 1]
    bench.set_data(dataset="plane")  # Playground's regression set: one linear unit
    assert bench.settings.layers[-1] == LayerSpec(1, "linear")
    for _ in range(5):
        bench.stack.undo()
    assert bench.settings.data == DataSpec(samples=200)
    assert bench.settings.layers[-1] == LayerSpec(3, "linear")


def test_settings_refuse_an_output_that_is_not_the_tasks():
    circle = PlaygroundSpec()
    Settings(circle, (LayerSpec(4, "relu"), LayerSpec(1, "sigmoid")))
    with pytest.raises(SettingsError, match="needs an output layer of 1 sigmoid"):
        Settings(circle, (LayerSpec(4, "relu"), LayerSpec(1, "linear")))
    with pytest.raises(SettingsError, match="softmax is a classifier's output"):
        Settings(DataSpec(), (LayerSpec(3, "softmax"),))
    with pytest.raises(SettingsError, match="3 units but the data has 1 targets"):
        Settings(PlaygroundSpec(dataset="plane"), (LayerSpec(3, "linear"),))


def test_a_labelled_csv_file_is_read_once_and_gets_a_softmax(bench, tmp_path, monkeypatch):
    spec = labelled_csv(tmp_path)
    reads = []
    real = core_setup.make_csv_dataset
    monkeypatch.setattr(
        core_setup, "make_csv_dataset", lambda *a, **k: reads.append(1) or real(*a, **k)
    )
    bench.set_training(class_weight="balanced")
    bench.set_data_spec(spec)
    assert len(reads) == 1  # read to fit the output layer; the network is made on that read
    assert bench.settings.layers[-1] == LayerSpec(3, "softmax")
    assert bench.session.dataset.classes == ("setosa", "versicolor", "virginica")
    assert bench.settings.training.class_weight == "balanced"
    bench.set_data_spec(DataSpec(samples=100))  # a regression: no class weights
    assert bench.settings.training.class_weight == "none"
    assert bench.settings.layers[-1] == LayerSpec(3, "linear")
    bench.stack.undo()
    assert bench.settings.training.class_weight == "balanced"
    as_regression = CsvSpec(spec.path, ("a",), ("b",), spec.dialect, task="regression")
    bench.set_data_spec(as_regression)
    assert bench.settings.layers[-1] == LayerSpec(1, "linear")


def test_a_preset_on_a_labelled_file_keeps_the_file_and_the_classifiers_output(bench, tmp_path):
    spec = labelled_csv(tmp_path, ("no", "yes"))
    bench.set_data_spec(spec)
    bench.apply_preset("Fast and accurate")
    s = bench.settings
    assert s.data.path == spec.path and s.data.val_ratio == 0.15
    assert s.layers == (LayerSpec(32, "relu"), LayerSpec(32, "relu"), LayerSpec(1, "sigmoid"))
    assert s.training.optimizer == "adam" and s.training.patience > 0


def test_the_playground_presets_replace_the_data_and_train_a_classifier_kept_as_a_run(bench):
    bench.apply_preset("Playground: spiral")
    assert bench.settings.preset == "Playground: spiral"
    assert bench.stack.undo_text() == "Apply preset Playground: spiral"
    bench.set_training(epochs=20, time_limit=0.0)
    train(bench, 20)
    (run,) = bench.runs
    assert "accuracy" in run.metrics["test"]
    assert run.summary().startswith("2-32-32-1 relu") and run.summary().endswith(
        "spiral, 500 points"
    )
    model = bench.current_model()
    bench.new()
    bench.open_model(model)  # a classifier opens in the window
    assert bench.settings.data == PlaygroundSpec(dataset="spiral", val_ratio=0.15)
    assert bench.session.history.epochs == 20 and bench.session.dataset.task == "classification"
    np.testing.assert_array_equal(bench.session.network.params[0], model.network.params[0])
    bench.restore_run(run.id)
    assert bench.session.history.epochs == 20


def test_class_weights_train_a_classifier(bench):
    bench.set_data_spec(PlaygroundSpec(dataset="gauss", points=100))
    bench.edit(bench.settings.replace(training=TrainConfig(class_weight="balanced", epochs=5)))
    train(bench, 5)
    assert bench.runs.get(bench.current_run).settings.training.class_weight == "balanced"


def test_the_status_line_gives_a_classifiers_accuracy(bench):
    from nngui.workbench.session import session_metrics

    bench.set_data_spec(PlaygroundSpec(dataset="circle", points=100))
    live = session_metrics(bench.session, 5, 0.4, np.nan, 0.5, accuracy=0.875)
    assert live == "epoch 5 · train loss 0.4 · test loss 0.5 · test accuracy 87.5%"
    assert "accuracy" not in session_metrics(bench.session, 5, 0.4, np.nan, 0.5)
    train(bench, 3)
    final = session_metrics(bench.session, full=True)
    accuracy = bench.current_model().metrics["test"]["accuracy"]
    assert f"test accuracy {accuracy:.1%} · test log loss" in final
