"""A classifier's validation and test accuracy in the history: measured with the losses, NaN
for regression and missing splits, reported by the run loop, saved, loaded and exported."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from nngui.core.classification import Classes, classification_metrics
from nngui.core.data import Dataset, Split
from nngui.core.export import ACCURACY_COLUMNS, HISTORY_COLUMNS, history_csv
from nngui.core.model import Model
from nngui.core.model_file import ModelFileError, load_model, save_model
from nngui.core.network import LayerSpec, Network
from nngui.core.playground_source import PlaygroundSpec, make_playground_dataset
from nngui.core.run_loop import run_events
from nngui.core.setup import start_on
from nngui.core.training import (
    History,
    Progress,
    ProgressReport,
    Series,
    TrainConfig,
    Trainer,
    class_accuracy,
)

CONFIG = TrainConfig(optimizer="adam", lr=0.03, epochs=50)
CLASSIFIER = [LayerSpec(8, "tanh"), LayerSpec(1, "sigmoid")]


def circle(val_ratio: float = 0.0) -> tuple[Dataset, Network]:
    ds = make_playground_dataset(PlaygroundSpec(dataset="circle", points=200, val_ratio=val_ratio))
    return start_on(ds, CLASSIFIER)


def independent_accuracy(net: Network, ds: Dataset, split: Split) -> float:
    """The accuracy as classification_metrics gives it, from Network.forward."""
    classes = Classes(ds.classes)
    true_index = (split.y[:, 0] > 0.5).astype(np.int64)
    class_p = classes.class_probabilities(net.forward(split.xs))
    return classification_metrics(class_p, true_index, classes.k).accuracy


def test_each_evaluation_records_the_accuracy_of_the_weights_it_measured() -> None:
    ds, net = circle(val_ratio=0.2)
    trainer = Trainer(net, ds, CONFIG)
    h = trainer.history
    for epoch in range(1, 51):
        trainer.run(epochs=1, restore_best=False)  # one evaluation after each epoch
        assert h.eval_epochs.values[-1] == epoch
        assert h.val_accuracy.values[-1] == independent_accuracy(net, ds, ds.val)
        assert h.test_accuracy.values[-1] == independent_accuracy(net, ds, ds.test)
    assert len(h.val_accuracy) == len(h.test_accuracy) == len(h.eval_epochs) == 51
    # a real signal, not a constant: the untrained network guesses, the trained one knows
    assert h.test_accuracy.values[-1] >= 0.9
    assert h.test_accuracy.values[-1] > h.test_accuracy.values[0]


def test_a_whole_run_keeps_the_accuracy_of_the_weights_it_ends_with() -> None:
    ds, net = circle(val_ratio=0.2)
    progress: list[Progress] = []
    trainer = Trainer(net, ds, CONFIG)
    result = trainer.run(on_progress=progress.append)
    h = trainer.history
    kept = h.epochs if result.restored_epoch is None else result.restored_epoch
    at = int(np.flatnonzero(h.eval_epochs.values == kept)[-1])
    assert h.val_accuracy.values[at] == independent_accuracy(net, ds, ds.val)
    assert h.test_accuracy.values[at] == independent_accuracy(net, ds, ds.test)
    last = progress[-1]
    assert last.val_accuracy == h.val_accuracy.values[-1]
    assert last.test_accuracy == h.test_accuracy.values[-1]
    assert np.isfinite([last.val_accuracy, last.test_accuracy]).all()


def test_the_brief_classifier_without_a_validation_split_has_nan_validation_accuracy() -> None:
    ds, net = circle()
    assert ds.val is None
    trainer = Trainer(net, ds, CONFIG)
    trainer.run()
    h = trainer.history
    assert np.isnan(h.val_accuracy.values).all() and len(h.val_accuracy) == len(h.eval_epochs)
    assert np.isfinite(h.test_accuracy.values).all()
    assert h.test_accuracy.values[-1] == independent_accuracy(net, ds, ds.test)
    assert h.test_accuracy.values[-1] >= 0.9


def test_a_regression_history_has_nan_accuracies() -> None:
    ds, net = start_on(
        make_playground_dataset(PlaygroundSpec(dataset="plane", points=200, val_ratio=0.2)),
        [LayerSpec(4, "tanh"), LayerSpec(1, "linear")],
    )
    progress: list[Progress] = []
    trainer = Trainer(net, ds, TrainConfig(optimizer="adam", lr=0.03, epochs=20))
    trainer.run(on_progress=progress.append)
    h = trainer.history
    assert len(h.val_accuracy) == len(h.test_accuracy) == len(h.eval_epochs) == 21
    assert np.isnan(h.val_accuracy.values).all() and np.isnan(h.test_accuracy.values).all()
    assert np.isfinite(h.val_loss.values).all()
    assert np.isnan([progress[-1].val_accuracy, progress[-1].test_accuracy]).all()


def test_split_measures_give_split_loss_from_the_same_forward_pass() -> None:
    ds, net = circle(val_ratio=0.2)
    trainer = Trainer(net, ds, CONFIG)
    trainer.run(10)
    loss, accuracy = trainer.split_measures(ds.test)
    assert loss == trainer.split_loss(ds.test) == trainer.history.test_loss.values[-1]
    assert accuracy == independent_accuracy(net, ds, ds.test)
    assert np.isnan(trainer.split_measures(None)).all()


def test_class_accuracy_for_sigmoid_and_softmax_outputs() -> None:
    p = np.array([[0.2], [0.5], [0.7], [0.9]])
    y = np.array([[0.0], [1.0], [0.0], [1.0]])
    assert class_accuracy(p, y) == 0.75  # p >= 0.5 is the second class
    p3 = np.array([[0.6, 0.3, 0.1], [0.1, 0.2, 0.7], [0.3, 0.4, 0.3]])
    y3 = np.eye(3)[[0, 2, 0]]
    assert class_accuracy(p3, y3) == pytest.approx(2 / 3)
    assert np.isnan(class_accuracy(np.zeros((0, 1)), np.zeros((0, 1))))


def test_run_loop_reports_carry_the_new_accuracies() -> None:
    ds, net = circle(val_ratio=0.2)
    trainer = Trainer(net, ds, CONFIG)
    reports = [e for e in run_events(trainer, 50) if isinstance(e, ProgressReport)]
    assert reports
    h = trainer.history
    for key in ("val_accuracy", "test_accuracy"):
        sent = np.concatenate([getattr(r, key) for r in reports])
        # everything after the untrained network's evaluation, which the trainer made itself
        np.testing.assert_array_equal(sent, getattr(h, key).values[1:], err_msg=key)
    for r in reports:
        assert len(r.val_accuracy) == len(r.test_accuracy) == len(r.eval_epochs)
    assert reports[-1].progress.test_accuracy == h.test_accuracy.values[-1]


# ----- History without accuracies (older data) ---------------------------------------------
def test_from_arrays_without_accuracies_fills_nan_per_evaluation() -> None:
    h = History.from_arrays({
        "train_loss": np.array([2.0, 1.0]), "eval_epochs": np.array([0.0, 1.0, 2.0]),
        "val_loss": np.full(3, np.nan), "test_loss": np.array([3.0, 2.0, 1.0]),
    })  # fmt: skip
    for accuracy in (h.val_accuracy, h.test_accuracy):
        assert len(accuracy) == 3 and np.isnan(accuracy.values).all()
    h.eval_epochs.append(3.0)
    h.test_accuracy.append(0.5)  # the series grow like the others
    assert h.test_accuracy.values[-1] == 0.5
    assert set(h.arrays()) == {"train_loss", "eval_epochs", "val_loss", "test_loss",
                               "val_accuracy", "test_accuracy"}  # fmt: skip


def test_a_history_made_from_four_series_has_nan_accuracies() -> None:
    h = History(Series([2.0]), Series([0.0, 1.0]), Series([np.nan, np.nan]), Series([2.0, 1.0]))
    assert np.isnan(h.val_accuracy.values).all() and len(h.test_accuracy) == 2
    assert len(History().val_accuracy) == 0


def test_from_arrays_keeps_given_accuracies() -> None:
    arrays = {
        "train_loss": np.array([1.0]),
        "eval_epochs": np.array([0.0, 1.0]),
        "val_loss": np.array([2.0, 1.0]),
        "test_loss": np.array([2.5, 1.5]),
        "val_accuracy": np.array([0.25, 0.75]),
        "test_accuracy": np.array([0.5, 1.0]),
    }
    h = History.from_arrays(arrays)  # fmt: skip
    for key, values in arrays.items():
        np.testing.assert_array_equal(h.arrays()[key], values, err_msg=key)


# ----- saved and exported ------------------------------------------------------------------
def trained_classifier() -> tuple[Model, Dataset]:
    ds, net = circle(val_ratio=0.2)
    trainer = Trainer(net, ds, CONFIG)
    trainer.run()
    return Model.from_dataset(net, ds, CONFIG, trainer.history), ds


def test_save_and_load_keep_the_accuracies(tmp_path: Path) -> None:
    model, _ = trained_classifier()
    path = tmp_path / "circle.npz"
    save_model(model, path)
    back = load_model(path).history
    for key in ("val_accuracy", "test_accuracy"):
        saved = getattr(model.history, key).values
        assert np.isfinite(saved).all()
        np.testing.assert_array_equal(getattr(back, key).values, saved, err_msg=key)
    with np.load(path, allow_pickle=False) as f:  # plain NumPy reads them
        np.testing.assert_array_equal(
            f["history_test_accuracy"], model.history.test_accuracy.values
        )
        assert f["history_val_accuracy"].dtype == np.float64


def test_a_file_without_accuracies_loads_with_nan_ones(tmp_path: Path) -> None:
    """Every file saved before the accuracies: the arrays are missing, nothing else differs."""
    model, _ = trained_classifier()
    path = tmp_path / "new.npz"
    save_model(model, path)
    with np.load(path, allow_pickle=False) as f:
        arrays = {k: f[k] for k in f.files if not k.endswith("_accuracy")}
    old = tmp_path / "old.npz"
    np.savez(old, **arrays)
    history = load_model(old).history
    n = len(model.history.eval_epochs)
    for accuracy in (history.val_accuracy, history.test_accuracy):
        assert len(accuracy) == n and np.isnan(accuracy.values).all()
    np.testing.assert_array_equal(history.test_loss.values, model.history.test_loss.values)


def test_accuracies_must_match_the_evaluations_in_length(tmp_path: Path) -> None:
    model, _ = trained_classifier()
    path = tmp_path / "m.npz"
    save_model(model, path)
    with np.load(path, allow_pickle=False) as f:
        arrays = {k: f[k] for k in f.files}
    arrays["history_val_accuracy"] = arrays["history_val_accuracy"][:-1]
    bad = tmp_path / "bad.npz"
    np.savez(bad, **arrays)
    with pytest.raises(ModelFileError, match="'history_val_accuracy' and 'history_eval_epochs'"):
        load_model(bad)


def test_history_csv_has_accuracy_columns_only_for_a_classifier() -> None:
    model, _ = trained_classifier()
    text = history_csv(model.history)
    header, first, *_, last = text.splitlines()
    assert header.split(",") == [*HISTORY_COLUMNS, *ACCURACY_COLUMNS]
    h = model.history
    assert last.split(",")[-2:] == [f"{h.val_accuracy.values[-1]:.17g}",
                                    f"{h.test_accuracy.values[-1]:.17g}"]  # fmt: skip
    assert first.split(",")[0] == "0" and first.split(",")[-1] != ""
    regression = dataclasses.replace(
        h, val_accuracy=Series(np.full(len(h.eval_epochs), np.nan)),
        test_accuracy=Series(np.full(len(h.eval_epochs), np.nan)),
    )  # fmt: skip
    assert history_csv(regression).splitlines()[0].split(",") == list(HISTORY_COLUMNS)
