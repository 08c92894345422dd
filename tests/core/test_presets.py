"""Presets: the article's setup and the fast one; matching settings back to a preset's name."""

from __future__ import annotations

import dataclasses

from nngui.core.data import DataSpec, split_counts
from nngui.core.model import Model
from nngui.core.network import LayerSpec, seed_layers
from nngui.core.playground_source import PlaygroundSpec
from nngui.core.presets import (
    ARTICLE,
    FAST,
    FAST_CLASSIFIER,
    PRESETS,
    matching_preset,
    playground_preset,
)
from nngui.core.setup import fresh_start
from nngui.core.training import TrainConfig, Trainer


def test_the_article_preset_is_the_seed():
    assert ARTICLE.data == DataSpec() and ARTICLE.training == TrainConfig()
    assert list(ARTICLE.layers) == seed_layers(3)
    assert set(PRESETS) == {ARTICLE.name, FAST.name, "Playground: circle", "Playground: spiral"}


def test_the_playground_presets_are_the_fast_classifier_on_playgrounds_setting():
    for dataset in ("circle", "spiral"):
        p = PRESETS[f"Playground: {dataset}"]
        assert p == playground_preset(dataset)
        assert isinstance(p.data, PlaygroundSpec) and p.data.dataset == dataset
        assert (p.data.points, p.data.noise, p.data.train_ratio) == (500, 0.0, 0.5)
        assert p.layers == FAST_CLASSIFIER.layers and p.layers[-1] == LayerSpec(1, "sigmoid")
        assert (
            p.training.patience > 0
            and p.training.batch_size == split_counts(500, 0.5, 0.15)[0] // 4
        )
        assert matching_preset(p.data, p.layers, p.training) == p.name


def test_the_circle_preset_finds_the_boundary_in_a_few_hundred_epochs():
    p = PRESETS["Playground: circle"]
    ds, net = fresh_start(p.data, p.layers, p.training.init, p.training.dtype)
    Trainer(net, ds, dataclasses.replace(p.training, epochs=300, time_limit=0.0)).run()
    metrics = Model.from_dataset(net, ds).evaluate(ds)
    assert metrics["test"]["accuracy"] >= 0.97


def test_matching_preset_names_exact_settings_only():
    for p in (ARTICLE, FAST):
        assert matching_preset(p.data, list(p.layers), p.training) == p.name
    faster = dataclasses.replace(FAST.training, lr=0.002)
    assert matching_preset(FAST.data, FAST.layers, faster) is None
    wider = (LayerSpec(64, "relu"), LayerSpec(3, "linear"))
    assert matching_preset(FAST.data, wider, FAST.training) is None
    assert matching_preset(None, ARTICLE.layers, ARTICLE.training) is None
