"""LayerBuilder: buttons, row editors, edits as workbench steps (undo/redo), labels that follow
the workbench's data, and the overfitting warning."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QTableWidget, QToolButton
from widget_actions import box, button, combo, named

from nngui.core.network import LayerSpec, seed_layers
from nngui.gui.layer_builder import MAX_HIDDEN, OVERFIT_WARNING, LayerBuilder
from nngui.gui.undo_stack import UndoActions


@pytest.fixture
def builder(qtbot):
    b = LayerBuilder()
    qtbot.addWidget(b)
    b.edit = UndoActions(b.workbench.stack, b)  # the Edit menu's Undo and Redo
    b.show()
    return b


def show_layers(builder: LayerBuilder, hidden, output: str | None = None, init: str | None = None):
    """Load settings with these hidden layers (as an opened model does: no undo history)."""
    s = builder.workbench.settings
    out = LayerSpec(s.layers[-1].units, output or s.layers[-1].activation)
    training = dataclasses.replace(s.training, init=init or s.training.init)
    builder.workbench.load(s.replace(layers=(*hidden, out), training=training))


def set_data(builder: LayerBuilder, targets: tuple[str, ...], n_train: int) -> None:
    """Give the workbench data with ``targets`` and ``n_train`` training samples."""
    builder.workbench.set_data(targets=targets, samples=2 * n_train, train_ratio=0.5)


def click(qtbot, button: QToolButton) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def units_spin(builder: LayerBuilder, row: int) -> QAbstractSpinBox:
    return box(builder, f"Units of hidden layer {row + 1}")


def layers_table(builder: LayerBuilder) -> QTableWidget:
    return named(builder, "Hidden layers", QTableWidget)


def type_units(qtbot, builder: LayerBuilder, row: int, text: str) -> None:
    spin = units_spin(builder, row)
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, text)
    qtbot.keyClick(spin, Qt.Key.Key_Return)


def units(builder: LayerBuilder) -> list[int]:
    return [layer.units for layer in builder.hidden_layers()]


def test_defaults_are_the_articles_network(builder):
    assert builder.layers() == seed_layers(3)
    assert builder.init_scheme() == "he"
    assert named(builder, "Architecture").text() == "2 → 4 relu → 4 relu → 3 linear"
    assert named(builder, "Parameter count").text() == "Parameters: 47 for 7,000 training samples"
    assert not named(builder, "Overfitting warning").isVisible()
    assert named(builder, "Input layer").text() == "Input: 2 (a, b)"
    assert named(builder, "Output layer").text() == "Output: 3 (a+b, a-b, |a-b|)"


def test_the_data_sets_the_outputs_the_count_and_the_overfitting_warning(builder):
    set_data(builder, ("a+b", "a*b"), 40)
    assert named(builder, "Output layer").text() == "Output: 2 (a+b, a*b)"
    assert builder.layers()[-1] == LayerSpec(2, "linear")
    assert named(builder, "Parameter count").text() == "Parameters: 42 for 40 training samples"
    assert named(builder, "Overfitting warning").isVisible()
    assert named(builder, "Overfitting warning").text() == OVERFIT_WARNING
    set_data(builder, ("a+b", "a*b"), 42)  # equal counts still overfit
    assert named(builder, "Overfitting warning").isVisible()
    set_data(builder, ("a+b", "a*b"), 43)
    assert not named(builder, "Overfitting warning").isVisible()


def test_add_then_undo_and_redo(builder, qtbot):
    with qtbot.waitSignal(builder.changed):
        click(qtbot, button(builder, "Add"))
    assert units(builder) == [4, 4, 4]
    assert layers_table(builder).rowCount() == 3
    with qtbot.waitSignal(builder.changed):
        click(qtbot, button(builder, "Undo"))
    assert units(builder) == [4, 4]
    assert layers_table(builder).rowCount() == 2
    with qtbot.waitSignal(builder.changed):
        builder.edit.redo.trigger()
    assert units(builder) == [4, 4, 4]


def test_typing_64_is_one_undo_step(builder, qtbot):
    type_units(qtbot, builder, 0, "64")
    assert units(builder) == [64, 4]
    assert named(builder, "Architecture").text() == "2 → 64 relu → 4 relu → 3 linear"
    assert builder.workbench.stack.count() == 1
    assert builder.edit.undo.isEnabled()
    builder.edit.undo.trigger()
    assert units(builder) == [4, 4]
    assert units_spin(builder, 0).value() == 4


def test_editing_another_row_is_a_separate_step(builder, qtbot):
    type_units(qtbot, builder, 0, "8")
    type_units(qtbot, builder, 1, "16")
    assert units(builder) == [8, 16]
    assert builder.workbench.stack.count() == 2
    builder.workbench.stack.undo()
    assert units(builder) == [8, 4]


def test_focusing_a_row_selects_it_and_enables_row_buttons(builder, qtbot):
    builder.select_row(None)
    assert not button(builder, "Remove").isEnabled()
    assert not button(builder, "Insert").isEnabled()
    units_spin(builder, 1).setFocus()
    assert builder.selected_row() == 1
    assert button(builder, "Remove").isEnabled()
    assert button(builder, "Move up").isEnabled()
    assert not button(builder, "Move down").isEnabled()  # already last


def test_move_insert_duplicate_remove(builder, qtbot):
    show_layers(builder, [LayerSpec(1, "relu"), LayerSpec(2, "tanh"), LayerSpec(3)])
    builder.select_row(1)
    click(qtbot, button(builder, "Move up"))
    assert units(builder) == [2, 1, 3]
    assert builder.selected_row() == 0
    assert not button(builder, "Move up").isEnabled()
    click(qtbot, button(builder, "Move down"))
    click(qtbot, button(builder, "Move down"))
    assert units(builder) == [1, 3, 2]
    assert builder.hidden_layers()[2].activation == "tanh"
    click(qtbot, button(builder, "Duplicate"))
    assert units(builder) == [1, 3, 2, 2]
    assert builder.selected_row() == 3
    builder.select_row(0)
    click(qtbot, button(builder, "Insert"))
    assert units(builder) == [1, 1, 3, 2, 2]
    click(qtbot, button(builder, "Remove"))
    click(qtbot, button(builder, "Remove"))
    assert units(builder) == [3, 2, 2]
    assert builder.workbench.stack.count() == 7
    for _ in range(7):
        builder.workbench.stack.undo()
    assert units(builder) == [1, 2, 3]


def test_activation_combo_edit_is_undoable(builder, qtbot):
    activation = combo(builder, "Activation of hidden layer 2")
    activation.setFocus()
    with qtbot.waitSignal(builder.changed):
        qtbot.keyClick(activation, Qt.Key.Key_Down)  # relu → linear
    assert builder.hidden_layers()[1].activation == "linear"
    assert builder.edit.undo.text() == "&Undo Set layer 2 activation to linear"
    assert button(builder, "Undo").toolTip() == "Undo Set layer 2 activation to linear (Ctrl+Z)."
    builder.edit.undo.trigger()
    assert builder.hidden_layers()[1].activation == "relu"
    assert activation.currentText() == "relu"


def test_output_activation_and_init_are_undoable(builder, qtbot):
    combo(builder, "Output activation").setFocus()
    qtbot.keyClick(combo(builder, "Output activation"), Qt.Key.Key_Down)  # linear → tanh
    assert builder.output_activation() == "tanh"
    assert named(builder, "Architecture").text().endswith("3 tanh")
    combo(builder, "Initialisation").setFocus()
    qtbot.keyClick(combo(builder, "Initialisation"), Qt.Key.Key_Down)
    assert builder.init_scheme() == "xavier"
    assert combo(builder, "Initialisation").currentText() == "Xavier / Glorot"
    builder.workbench.stack.undo()
    builder.workbench.stack.undo()
    assert (builder.output_activation(), builder.init_scheme()) == ("linear", "he")


def test_zero_hidden_layers_is_a_linear_model(builder, qtbot):
    builder.select_row(0)
    click(qtbot, button(builder, "Remove"))
    click(qtbot, button(builder, "Remove"))
    assert builder.hidden_layers() == []
    assert builder.layers() == [LayerSpec(3, "linear")]
    assert named(builder, "Architecture").text() == "2 → 3 linear"
    assert named(builder, "Parameter count").text().startswith("Parameters: 9 ")
    assert named(builder, "No hidden layers note").isVisible()
    assert not button(builder, "Remove").isEnabled()


def test_loaded_settings_are_shown_and_forget_the_undo_history(builder, qtbot):
    click(qtbot, button(builder, "Add"))
    layers = [LayerSpec(64, "tanh"), LayerSpec(32, "sigmoid")]
    with qtbot.waitSignal(builder.changed):
        show_layers(builder, layers, "relu", "xavier")
    assert builder.hidden_layers() == layers
    assert builder.layers()[-1] == LayerSpec(3, "relu")
    assert combo(builder, "Activation of hidden layer 2").currentText() == "sigmoid"
    assert combo(builder, "Initialisation").currentData() == "xavier"
    assert builder.workbench.stack.count() == 0
    assert not button(builder, "Undo").isEnabled()


def test_no_more_than_the_maximum_hidden_layers(builder, qtbot):
    show_layers(builder, [LayerSpec(1)] * MAX_HIDDEN)
    assert not button(builder, "Add").isEnabled()
    with pytest.raises(ValueError):
        show_layers(builder, [LayerSpec(1)] * (MAX_HIDDEN + 1))


def test_set_editable_false_blocks_every_edit(builder, qtbot):
    click(qtbot, button(builder, "Add"))
    builder.set_editable(False)
    assert not layers_table(builder).isEnabled()
    assert not button(builder, "Add").isEnabled()
    assert not button(builder, "Undo").isEnabled()
    assert not combo(builder, "Initialisation").isEnabled()
    button(builder, "Undo").clicked.emit()  # what a click would do, were it enabled
    assert len(builder.hidden_layers()) == 3
    builder.set_editable(True)
    assert button(builder, "Undo").isEnabled()


def test_undo_actions_have_the_standard_shortcuts(builder):
    assert builder.edit.undo.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)
    assert builder.edit.redo.shortcut() == QKeySequence(QKeySequence.StandardKey.Redo)


def test_every_control_has_a_tooltip_and_an_accessible_name(builder):
    controls = builder.findChildren(QAbstractSpinBox) + builder.findChildren(QComboBox)
    controls += builder.findChildren(QToolButton)
    assert len(controls) >= 2 * 2 + 2 + 8
    for control in controls:
        assert control.toolTip(), control
        assert control.accessibleName(), control


def test_typing_back_the_old_value_leaves_no_undo_step(builder, qtbot):
    type_units(qtbot, builder, 0, "12")
    assert builder.workbench.stack.count() == 1
    type_units(qtbot, builder, 0, "4")
    assert units(builder) == [4, 4]
    assert builder.workbench.stack.count() == 0


def test_a_new_visit_to_the_same_box_is_a_new_undo_step(builder, qtbot):
    type_units(qtbot, builder, 0, "8")
    units_spin(builder, 1).setFocus()
    type_units(qtbot, builder, 0, "16")
    assert builder.workbench.stack.count() == 2
    builder.workbench.stack.undo()
    assert units(builder) == [8, 4]


def button_positions(builder: LayerBuilder) -> list[QPoint]:
    """Where every tool button sits in the builder, once the layout has settled."""
    QApplication.processEvents()
    builder.layout().activate()
    return [b.mapTo(builder, QPoint(0, 0)) for b in builder.findChildren(QToolButton)]


@pytest.fixture(params=["roomy", "tight"])
def sized_builder(builder, qtbot, request):
    """The builder in a tall settings tab (the table takes the spare height) or a short one
    (the table at its minimum height, so whatever appears pushes the rest down)."""
    qtbot.waitExposed(builder)
    tight = builder.minimumSizeHint().height()
    builder.resize(400, 700 if request.param == "roomy" else tight)
    QApplication.processEvents()
    return builder


def test_buttons_stay_put_when_the_overfitting_warning_toggles(sized_builder, qtbot):
    builder = sized_builder
    set_data(builder, ("a+b",), 50)  # 37 parameters: no warning yet
    before = button_positions(builder)
    click(qtbot, button(builder, "Add"))  # 57 parameters >= 50 training samples
    assert builder.parameter_count() >= 50
    assert named(builder, "Overfitting warning").isVisible()
    assert button_positions(builder) == before
    click(qtbot, button(builder, "Undo"))
    assert not named(builder, "Overfitting warning").isVisible()
    assert button_positions(builder) == before


def test_buttons_stay_put_when_the_no_hidden_layers_note_toggles(sized_builder, qtbot):
    builder = sized_builder
    show_layers(builder, [LayerSpec(4)])
    before = button_positions(builder)
    builder.select_row(0)
    click(qtbot, button(builder, "Remove"))
    assert named(builder, "No hidden layers note").isVisible()
    assert button_positions(builder) == before
    click(qtbot, button(builder, "Undo"))
    assert not named(builder, "No hidden layers note").isVisible()
    assert button_positions(builder) == before


def test_the_undo_buttons_name_the_step_and_take_any_edit_back(builder, qtbot):
    undo = button(builder, "Undo")
    assert not undo.isEnabled() and undo.toolTip() == "Nothing to undo."
    builder.workbench.set_data(seed=7)  # made in the data panel, say
    assert undo.toolTip() == "Undo Set random seed to 7 (Ctrl+Z)."
    click(qtbot, undo)
    assert builder.workbench.settings.data.seed == 42
    assert button(builder, "Redo").toolTip() == "Redo Set random seed to 7 (Ctrl+Shift+Z)."


def test_undo_keeps_the_selected_row_in_range(builder, qtbot):
    click(qtbot, button(builder, "Add"))
    assert builder.selected_row() == 2
    click(qtbot, button(builder, "Undo"))
    assert builder.selected_row() == 1, "the last row left"
    builder.select_row(0)
    click(qtbot, button(builder, "Redo"))
    assert builder.selected_row() == 0
