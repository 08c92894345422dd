"""Presets: the article's setup and the fast one; matching settings back to a preset's name."""

from __future__ import annotations

import dataclasses

from nngui.core.data import DataSpec
from nngui.core.network import LayerSpec, seed_layers
from nngui.core.presets import ARTICLE, FAST, PRESETS, matching_preset
from nngui.core.training import TrainConfig


def test_the_article_preset_is_the_seed():
    assert ARTICLE.data == DataSpec() and ARTICLE.training == TrainConfig()
    assert list(ARTICLE.layers) == seed_layers(3)
    assert set(PRESETS) == {ARTICLE.name, FAST.name}


def test_matching_preset_names_exact_settings_only():
    for p in (ARTICLE, FAST):
        assert matching_preset(p.data, list(p.layers), p.training) == p.name
    faster = dataclasses.replace(FAST.training, lr=0.002)
    assert matching_preset(FAST.data, FAST.layers, faster) is None
    wider = (LayerSpec(64, "relu"), LayerSpec(3, "linear"))
    assert matching_preset(FAST.data, wider, FAST.training) is None
    assert matching_preset(None, ARTICLE.layers, ARTICLE.training) is None
