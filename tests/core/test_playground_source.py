"""Playground data sets as a data source: features, classes, split, and classifier models that
evaluate, save and open."""

from __future__ import annotations

import json

import numpy as np
import pytest

from nngui.core.data import DataSpecError
from nngui.core.model import Model
from nngui.core.model_file import ModelFileError, _model_arrays, load_model, save_model
from nngui.core.network import LayerSpec, Network
from nngui.core.playground_source import PlaygroundSpec, make_playground_dataset
from nngui.core.training import TrainConfig, Trainer


def test_a_classification_set_codes_its_labels_and_splits_half_to_train():
    ds = make_playground_dataset(PlaygroundSpec("xor", points=400, seed=3))
    assert ds.task == "classification" and ds.classes == ("-1", "1")
    assert ds.input_names == ("x1", "x2") and ds.output_names == ("label",)
    assert (len(ds.train), len(ds.test), ds.val) == (200, 200, None)
    assert set(np.unique(ds.train.y)) == {0.0, 1.0} and np.array_equal(ds.train.ys, ds.train.y)
    x = ds.train.x
    assert np.array_equal(ds.train.y[:, 0], (x[:, 0] * x[:, 1] >= 0).astype(float))
    assert 80 < ds.train.y.sum() < 120, "shuffled before the split: both classes in each part"


def test_features_and_regression_sets():
    spec = PlaygroundSpec("plane", points=100, features=("x1", "x2", "x1^2", "sin_x2", "x1x2"))
    ds = make_playground_dataset(spec)
    x = ds.train.x
    assert ds.task == "regression" and ds.classes == ()
    assert np.allclose(x[:, 2], x[:, 0] ** 2) and np.allclose(x[:, 3], np.sin(x[:, 1]))
    assert np.allclose(x[:, 4], x[:, 0] * x[:, 1])
    assert np.allclose(ds.train.y[:, 0], (x[:, 0] + x[:, 1]) / 10)
    assert abs(ds.train.ys.mean()) < 1e-9, "a regression target is standardised"


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"dataset": "moons"}, "no data set called 'moons'"),
        ({"points": 5}, "points must be"),
        ({"noise": 0.7}, "noise must be from 0 to 0.5"),
        ({"features": ("x3",)}, "unknown feature 'x3'"),
        ({"features": ()}, "one or more different features"),
        ({"train_ratio": 1.0}, "train ratio"),
        ({"seed": -1}, "seed must be"),
    ],
)
def test_bad_settings_are_refused(kw, message):
    with pytest.raises(DataSpecError, match=message):
        PlaygroundSpec(**kw)


def test_settings_round_trip():
    spec = PlaygroundSpec("spiral", 300, 0.2, 7, ("x1", "x2", "sin_x1"), 0.6, 0.1)
    assert PlaygroundSpec.from_dict(json.loads(json.dumps(spec.to_dict()))) == spec
    with pytest.raises(DataSpecError, match="incomplete or malformed"):
        PlaygroundSpec.from_dict({"dataset": "circle"})


@pytest.fixture
def classifier(tmp_path) -> Model:
    spec = PlaygroundSpec("circle", points=300, seed=1, val_ratio=0.2)
    ds = make_playground_dataset(spec)
    net = Network.initialise(2, [LayerSpec(8, "tanh"), LayerSpec(1, "sigmoid")],
                             np.random.RandomState(1), "xavier")  # fmt: skip
    config = TrainConfig(optimizer="adam", lr=0.03, batch_size=32, epochs=120, init="xavier")
    trainer = Trainer(net, ds, config)
    trainer.run(120)
    model = Model.from_dataset(net, ds, config, trainer.history)
    model.metrics = model.evaluate(ds)
    return model


def test_a_classifier_evaluates_with_classification_metrics(classifier):
    test = classifier.metrics["test"]
    assert test["accuracy"] >= 0.95 and np.array(test["confusion"]).sum() == 150
    assert set(test) >= {"accuracy", "log_loss", "precision", "recall", "f1", "loss"}
    p = classifier.predict(np.array([[0.0, 0.0], [4.5, 0.0]]))
    assert p[0, 0] > 0.5 > p[1, 0], "inside the circle is class 1, outside class -1"


def test_a_classifier_saves_and_opens_with_its_task_classes_and_data(classifier, tmp_path):
    path = tmp_path / "circle.npz"
    save_model(classifier, path)
    back = load_model(path)
    assert (back.task, back.classes) == ("classification", ("-1", "1"))
    assert back.data_spec == classifier.data_spec
    x = np.random.RandomState(0).uniform(-5, 5, (20, 2))
    assert np.allclose(back.predict(x), classifier.predict(x))
    again = back.regenerate_data()
    assert np.array_equal(again.test.x, make_playground_dataset(back.data_spec).test.x)
    meta = json.loads(str(np.load(path)["meta"]))
    assert meta["data"]["source"] == "playground" and meta["task"] == "classification"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"task": "clustering"}, "unknown task 'clustering'"),
        ({"classes": ["only"]}, "invalid classes"),
        ({"classes": ["a", "b", "c"]}, "3 classes need 3 output units, not 1"),
        ({"task": "regression"}, "a regression model has no classes"),
    ],
)
def test_bad_tasks_and_classes_in_a_file_are_refused(classifier, tmp_path, change, message):
    arrays = _model_arrays(classifier)
    meta = json.loads(str(arrays["meta"]))
    meta.update(change)
    arrays["meta"] = np.array(json.dumps(meta))
    path = tmp_path / "bad.npz"
    np.savez(path, **arrays)
    with pytest.raises(ModelFileError, match=message):
        load_model(path)
