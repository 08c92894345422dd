"""The Playground settings in the Data panel: the source combo, each edit a named workbench
step, undo shown, unusable settings explained and never taken, a classifier's output shown."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QCheckBox, QLabel
from widget_actions import box, combo, named, type_into

from nngui.core.data import DataSpec
from nngui.core.network import LayerSpec
from nngui.core.playground_source import PlaygroundSpec
from nngui.gui.data_panel import DataPanel
from nngui.gui.layer_builder import LayerBuilder
from nngui.workbench import Workbench


@pytest.fixture
def panel(qtbot):
    p = DataPanel()
    qtbot.addWidget(p)
    p.show()
    p.workbench.start_fresh()
    return p


def choose_playground(panel: DataPanel) -> None:
    source = combo(panel, "Data source")
    source.activated.emit(source.findData("playground"))


def test_the_source_combo_offers_playgrounds_sets(panel, qtbot):
    choose_playground(panel)
    bench = panel.workbench
    assert bench.settings.data == PlaygroundSpec(val_ratio=0.15)
    assert bench.stack.undo_text() == "Use Playground's circle set"
    assert named(panel, "Playground data set").isVisible()
    assert not named(panel, "Samples").isVisible()
    assert bench.settings.layers[-1] == LayerSpec(1, "sigmoid")
    sets = combo(panel, "Playground data set")
    assert [sets.itemData(i) for i in range(sets.count())] == [
        "circle", "xor", "gauss", "spiral", "plane", "multi-gauss",
    ]  # fmt: skip
    bench.stack.undo()
    assert bench.settings.data == DataSpec() and named(panel, "Samples").isVisible()
    assert combo(panel, "Data source").currentData() == "formulas"
    bench.stack.redo()
    assert combo(panel, "Data source").currentData() == "playground"


def test_each_edit_is_a_named_step_and_undo_shows_it(panel, qtbot):
    choose_playground(panel)
    bench = panel.workbench
    sets = combo(panel, "Playground data set")
    sets.setCurrentIndex(sets.findData("spiral"))
    sets.activated.emit(sets.currentIndex())
    assert bench.settings.data.dataset == "spiral"
    assert bench.stack.undo_text() == "Use Playground's spiral set"
    type_into(qtbot, box(panel, "Playground noise"), "25")
    assert bench.settings.data.noise == 0.25
    assert bench.stack.undo_text() == "Set noise to 0.25"
    type_into(qtbot, box(panel, "Playground points"), "1200")
    assert bench.settings.data.points == 1200
    named(panel, "Feature sin_x1", QCheckBox).click()
    assert bench.settings.data.features == ("x1", "x2", "sin_x1")
    assert bench.session.network.n_inputs == 3
    assert "600 train" not in named(panel, "Playground split sizes", QLabel).text()
    bench.stack.undo()
    assert not named(panel, "Feature sin_x1", QCheckBox).isChecked()
    bench.stack.undo()
    assert box(panel, "Playground points").value() == 500
    bench.stack.undo()
    assert box(panel, "Playground noise").value() == 0


def test_unusable_settings_are_explained_and_not_taken(panel, qtbot):
    choose_playground(panel)
    bench = panel.workbench
    for name in ("x1", "x2"):
        named(panel, f"Feature {name}", QCheckBox).click()
    hint = named(panel, "Playground settings problem", QLabel)
    assert hint.isVisible() and "choose one or more different features" in hint.text()
    assert bench.settings.data.features == ("x2",), "the last usable settings stay"
    type_into(qtbot, box(panel, "Playground points"), "12")
    type_into(qtbot, box(panel, "Playground validation share"), "50")
    assert "too few points" in hint.text() or "choose one or more" in hint.text()
    assert box(panel, "Playground validation share").value() == 50, "what was typed stays"


def test_the_classifier_dataset_summary_counts_the_classes(panel):
    choose_playground(panel)
    panel.show_dataset(panel.workbench.session.dataset)
    counts = named(panel, "Generated data counts", QLabel).text()
    assert "Training classes: -1 " in counts and ", 1 " in counts


def test_the_layer_builder_shows_a_classifiers_output_and_does_not_offer_it(qtbot):
    bench = Workbench()
    bench.start_fresh()
    builder = LayerBuilder(bench)
    qtbot.addWidget(builder)
    output = combo(builder, "Output activation")
    assert output.isEnabled()
    bench.set_data_spec(PlaygroundSpec(dataset="xor"))
    assert not output.isEnabled() and output.currentData() == "sigmoid"
    assert "follows its task" in output.toolTip()
    label = [w.text() for w in builder.findChildren(QLabel) if w.text().startswith("Output:")]
    assert label == ["Output: 1 (label: -1 or 1)"]
    assert builder.layers()[-1] == LayerSpec(1, "sigmoid")
    bench.stack.undo()
    assert output.isEnabled() and output.currentData() == "linear"
