"""Settings: one validated value; describe_change names edits; which edits need new weights."""

from __future__ import annotations

import dataclasses

import pytest

from nngui.core.data import DataSpec
from nngui.core.network import MAX_LAYERS, LayerSpec
from nngui.core.presets import ARTICLE, FAST
from nngui.core.training import TrainConfig
from nngui.workbench import Settings, SettingsError, describe_change
from nngui.workbench.settings import starts_new_network


def test_defaults_are_the_articles_setup():
    s = Settings()
    assert s.preset == ARTICLE.name
    assert [layer.units for layer in s.layers] == [4, 4, 3] and len(s.hidden) == 2


def test_parts_that_do_not_fit_together_are_refused():
    with pytest.raises(SettingsError, match="output layer has 2 units but the data has 3"):
        Settings(layers=(LayerSpec(2, "linear"),))
    with pytest.raises(SettingsError, match="at least its output layer"):
        Settings(layers=())
    with pytest.raises(SettingsError, match=f"at most {MAX_LAYERS} layers"):
        Settings(layers=(LayerSpec(2),) * MAX_LAYERS + (LayerSpec(3, "linear"),))
    with pytest.raises(SettingsError, match="no preset called"):
        Settings.from_preset("nope")


def test_presets_round_trip():
    s = Settings.from_preset(FAST.name)
    assert s.preset == FAST.name and s.training == FAST.training
    assert s.replace(training=dataclasses.replace(s.training, lr=0.5)).preset is None


@pytest.mark.parametrize(
    ("change", "text"),
    [
        ({"data": DataSpec(samples=5000)}, "Set samples to 5,000"),
        ({"data": DataSpec(seed=7)}, "Set random seed to 7"),
        ({"data": DataSpec(noise=0.25)}, "Set noise to 0.25"),
        ({"data": DataSpec(ranges=((0.0, 10.0), (0.0, 100.0)))}, "Change the input ranges"),
        ({"training": TrainConfig(lr=0.001)}, "Set learning rate to 0.001"),
        ({"training": TrainConfig(epochs=500)}, "Set epochs to 500"),
        ({"training": TrainConfig(init="xavier")}, "Set initialisation to xavier"),
        ({"training": TrainConfig(lr=0.1, epochs=5)}, "Change 2 settings"),
        (
            {"layers": (LayerSpec(8, "tanh"), LayerSpec(3, "linear"))},
            "Set the layers to 8 tanh → 3 linear",
        ),
    ],
)
def test_edits_are_named_after_what_they_change(change, text):
    old = Settings()
    assert describe_change(old, old.replace(**change)) == text


def test_a_change_to_a_preset_is_named_after_it():
    assert (
        describe_change(Settings(), Settings.from_preset(FAST.name))
        == "Apply preset Fast and accurate"
    )


def test_only_data_layers_init_and_precision_need_a_new_network():
    s = Settings()
    assert starts_new_network(s, s.replace(data=DataSpec(samples=500)))
    assert starts_new_network(s, s.replace(layers=(LayerSpec(5), LayerSpec(3, "linear"))))
    assert starts_new_network(s, s.replace(training=TrainConfig(init="xavier")))
    assert starts_new_network(s, s.replace(training=TrainConfig(dtype="float32")))
    assert not starts_new_network(s, s.replace(training=TrainConfig(lr=0.5, epochs=9)))
