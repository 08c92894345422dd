"""Workbench: every kind of edit validated, named, undone and redone; listeners hear each."""

from __future__ import annotations

import dataclasses

import pytest

from nngui.core.data import DataSpecError
from nngui.core.network import LayerSpec
from nngui.core.presets import ARTICLE, FAST
from nngui.core.training import TrainConfigError
from nngui.workbench import CommandStack, Settings, SettingsError, Workbench


@pytest.fixture
def bench():
    return Workbench()


def test_data_edit_undo_redo(bench):
    heard = []
    bench.subscribe(lambda old, new: heard.append((old.data.samples, new.data.samples)))
    assert bench.set_data(samples=5000)
    assert bench.settings.data.samples == 5000 and bench.stack.undo_text() == "Set samples to 5,000"
    bench.stack.undo()
    assert bench.settings == Settings()
    bench.stack.redo()
    assert bench.settings.data.samples == 5000
    assert heard == [(10_000, 5000), (5000, 10_000), (10_000, 5000)]


def test_training_edits_and_their_names(bench):
    bench.set_training(lr=0.001)
    bench.set_training(optimizer="adam")
    assert bench.stack.texts() == ["Set learning rate to 0.001", "Set optimiser to adam"]
    bench.stack.undo()
    bench.stack.undo()
    assert bench.settings.training == Settings().training


def test_layer_edits_keep_or_replace_the_output(bench):
    bench.set_hidden([LayerSpec(16, "tanh")], text="Remove layer 2")
    assert bench.settings.layers == (LayerSpec(16, "tanh"), LayerSpec(3, "linear"))
    assert bench.stack.undo_text() == "Remove layer 2"
    bench.set_layers([LayerSpec(3, "sigmoid")])
    assert bench.settings.hidden == () and bench.stack.count() == 2
    bench.stack.undo()
    bench.stack.undo()
    assert bench.settings.layers == Settings().layers


def test_changing_the_targets_resizes_the_output_layer(bench):
    bench.set_data(targets=("a+b",))
    assert bench.settings.layers[-1] == LayerSpec(1, "linear")
    assert bench.stack.undo_text() == "Set targets to a+b"
    bench.stack.undo()
    assert bench.settings.layers[-1] == LayerSpec(3, "linear")


def test_presets_are_one_step(bench):
    bench.set_training(lr=0.5)
    assert bench.apply_preset(FAST.name)
    assert (
        bench.settings.preset == FAST.name
        and bench.stack.undo_text() == "Apply preset Fast and accurate"
    )
    bench.stack.undo()
    assert bench.settings.training.lr == 0.5 and bench.settings.preset is None
    assert not bench.apply_preset(FAST.name) or bench.stack.undo()  # applied again: one step
    bench.stack.undo()
    assert bench.settings.preset == ARTICLE.name


def test_typed_edits_merge_into_one_step(bench):
    for samples in (5, 50, 500, 5000):
        if samples >= 10:
            bench.set_data(samples=samples, merge_key="samples box")
    assert bench.stack.count() == 1 and bench.settings.data.samples == 5000
    bench.stack.undo()
    assert bench.settings.data.samples == 10_000


def test_typing_back_the_old_value_leaves_no_step(bench):
    bench.set_training(lr=0.5)
    bench.set_data(samples=50, merge_key="samples box")
    bench.set_data(samples=10_000, merge_key="samples box")  # typed back to what it was
    assert bench.stack.count() == 1 and bench.stack.undo_text() == "Set learning rate to 0.5"
    assert bench.settings.data.samples == 10_000


def test_data_spec_edits_resize_the_output_layer(bench):
    spec = dataclasses.replace(bench.settings.data, targets=("a+b",))
    assert bench.set_data_spec(spec, merge_key="targets")
    assert bench.settings.layers[-1].units == 1 and bench.settings.data == spec
    assert not bench.set_data_spec(spec)
    bench.stack.undo()
    assert bench.settings.layers[-1].units == 3


def test_training_edits_may_be_named(bench):
    bench.set_training(init="xavier", text="Set initialisation to Xavier / Glorot")
    assert bench.stack.undo_text() == "Set initialisation to Xavier / Glorot"


def test_a_workbench_takes_another_undo_stack(bench):
    pushed = []

    class Recording(CommandStack):
        def push(self, command):
            pushed.append(command.text)
            super().push(command)

    other = Workbench(stack=Recording())
    other.set_training(lr=0.5)
    assert pushed == ["Set learning rate to 0.5"] and other.stack.count() == 1


def test_bad_edits_raise_and_change_nothing(bench):
    with pytest.raises(DataSpecError):
        bench.set_data(samples=1)
    with pytest.raises(TrainConfigError):
        bench.set_training(lr=-1.0)
    with pytest.raises(SettingsError, match="unknown data setting"):
        bench.set_data(colour="red")
    with pytest.raises(SettingsError, match="unknown training setting"):
        bench.set_training(speed=3)
    with pytest.raises(SettingsError):
        bench.set_layers([LayerSpec(2, "linear")])
    assert bench.settings == Settings() and bench.stack.count() == 0


def test_an_edit_to_the_same_value_is_no_step(bench):
    assert not bench.set_data(samples=10_000)
    assert not bench.set_training(lr=0.01)
    assert bench.stack.count() == 0


def test_loading_takes_settings_and_forgets_the_history(bench):
    bench.set_training(lr=0.5)
    heard = []
    bench.subscribe(lambda old, new: heard.append(new.preset))
    bench.load(Settings.from_preset(FAST.name))
    assert bench.settings.preset == FAST.name and not bench.stack.can_undo()
    assert bench.stack.is_clean() and heard == [FAST.name]


def test_unsubscribed_listeners_hear_nothing(bench):
    heard = []
    stop = bench.subscribe(lambda old, new: heard.append(new))
    stop()
    bench.set_data(seed=1)
    assert heard == []
