"""DataPanel: editing real widgets gives the DataSpec the user means, as workbench edits that
undo and redo; the workbench's data settings are shown; summaries show the data."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractSpinBox, QCheckBox, QComboBox, QLabel, QScrollArea
from widget_actions import box, named

from nngui.core.data import TARGETS, DataSpec, DataSpecError, make_dataset
from nngui.gui.data_panel import DataPanel
from nngui.gui.widgets import WARNING_STYLE, FitTable


@pytest.fixture
def panel(qtbot):
    p = DataPanel()
    qtbot.addWidget(p)
    p.show()
    return p


def type_into(qtbot, spin: QAbstractSpinBox, text: str) -> None:
    """Replace a spin box's text by typing, as a user would."""
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, text)
    qtbot.keyClick(spin, Qt.Key.Key_Return)


def show(panel: DataPanel, spec: DataSpec) -> None:
    """Change the workbench's data settings (as an undo, a preset or an opened model would)."""
    panel.workbench.set_data_spec(spec)


def target(panel: DataPanel, name: str) -> QCheckBox:
    """The check box of target ``name``."""
    return named(panel, f"Target {name}", QCheckBox)


def problem(panel: DataPanel) -> QLabel:
    """The note saying why the settings cannot be used."""
    return named(panel, "Data settings problem", QLabel)


def click(qtbot, check: QCheckBox) -> None:
    """Click a check box on its indicator (the box at its left edge)."""
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton, pos=QPoint(6, check.height() // 2))


def test_defaults_are_the_articles_spec(panel):
    assert panel.spec() == DataSpec()


def test_the_workbench_settings_are_shown_without_emitting(panel, qtbot):
    spec = DataSpec(
        samples=2_500,
        ranges=((-5.0, 5.0), (10.0, 20.0)),
        targets=("a*b", "a+b"),
        noise=0.25,
        train_ratio=0.8,
        val_ratio=0.1,
        seed=7,
    )
    with qtbot.assertNotEmitted(panel.changed):
        show(panel, spec)
    assert panel.spec() == spec
    assert box(panel, "Samples").text() == "2,500"


def test_typing_samples_emits_changed_and_updates_spec(panel, qtbot):
    with qtbot.waitSignal(panel.changed):
        type_into(qtbot, box(panel, "Samples"), "5000")
    assert panel.spec().samples == 5_000
    assert named(panel, "Split sizes", QLabel).text() == "3,500 train · 0 validation · 1,500 test"


def test_each_finished_edit_is_a_named_workbench_step_that_undoes(panel, qtbot):
    stack = panel.workbench.stack
    type_into(qtbot, box(panel, "Samples"), "5000")
    type_into(qtbot, box(panel, "Seed"), "7")
    click(qtbot, target(panel, "a*b"))
    assert panel.workbench.settings.data.samples == 5_000
    assert panel.workbench.settings.layers[-1].units == 4, "an output per target"
    assert stack.texts() == ["Set samples to 5,000", "Set random seed to 7", "Set targets to "
                             "a+b, a-b, |a-b|, a*b"]  # fmt: skip
    stack.undo()
    assert not target(panel, "a*b").isChecked() and panel.spec().targets == DataSpec().targets
    stack.undo()
    assert box(panel, "Seed").value() == 42
    stack.redo()
    assert box(panel, "Seed").value() == 7 and panel.spec() == panel.workbench.settings.data


def test_arrow_steps_in_one_visit_to_a_box_are_one_step(panel, qtbot):
    box(panel, "Noise").setFocus()
    for _ in range(3):
        qtbot.keyClick(box(panel, "Noise"), Qt.Key.Key_Up)
    assert panel.workbench.settings.data.noise == pytest.approx(0.3)
    assert panel.workbench.stack.texts() == ["Set noise to 0.3"]
    panel.workbench.stack.undo()
    assert box(panel, "Noise").value() == 0.0


def test_unusable_settings_are_shown_but_change_nothing_until_corrected(panel, qtbot):
    type_into(qtbot, box(panel, "Lowest a"), "250")  # above the highest a
    assert box(panel, "Lowest a").value() == 250.0 and problem(panel).isVisible()
    assert panel.workbench.settings.data == DataSpec() and not panel.workbench.stack.can_undo()
    type_into(qtbot, box(panel, "Highest a"), "300")
    assert panel.workbench.settings.data.ranges[0] == (250.0, 300.0)
    assert panel.workbench.stack.texts() == ["Change the input ranges"]


def visible_warnings(panel: DataPanel) -> list[str]:
    """Texts of the warning-coloured labels the panel shows."""
    labels = panel.findChildren(QLabel)
    return [w.text() for w in labels if w.styleSheet() == WARNING_STYLE and w.isVisible()]


def test_the_last_target_is_locked_quietly_with_a_tooltip(panel, qtbot):
    click(qtbot, target(panel, "a+b"))
    click(qtbot, target(panel, "a-b"))  # only |a-b| left: fine, nothing to warn about
    last = target(panel, "|a-b|")
    assert not last.isEnabled()
    assert "only target" in last.toolTip()
    assert visible_warnings(panel) == []
    with qtbot.assertNotEmitted(panel.changed):
        click(qtbot, last)  # trying to uncheck it anyway
    assert last.isChecked()
    assert panel.spec().targets == ("|a-b|",)
    assert visible_warnings(panel) == []
    click(qtbot, target(panel, "a*b"))
    assert last.isEnabled()
    assert "only target" not in last.toolTip()
    click(qtbot, last)
    assert panel.spec().targets == ("a*b",)
    assert not target(panel, "a*b").isEnabled()


def test_showing_settings_locks_a_single_target_and_editing_keeps_the_lock(panel):
    show(panel, DataSpec(targets=("a+b",)))
    assert not target(panel, "a+b").isEnabled()
    assert all(target(panel, t).isEnabled() for t in TARGETS if t != "a+b")
    panel.set_editable(False)
    panel.set_editable(True)
    assert not target(panel, "a+b").isEnabled()
    show(panel, DataSpec())
    assert all(target(panel, t).isEnabled() for t in TARGETS)


def test_checked_targets_take_the_order_of_their_boxes(panel, qtbot):
    click(qtbot, target(panel, "a*b"))
    click(qtbot, target(panel, "a+b"))  # uncheck
    click(qtbot, target(panel, "a-b"))  # uncheck
    assert panel.spec().targets == ("|a-b|", "a*b")
    click(qtbot, target(panel, "a-b"))  # check again
    click(qtbot, target(panel, "a+b"))
    assert panel.spec().targets == ("a+b", "a-b", "|a-b|", "a*b"), "the article's order again"


def test_a_model_files_own_order_is_kept_until_boxes_change(panel, qtbot):
    show(panel, DataSpec(targets=("|a-b|", "a+b")))
    assert panel.spec().targets == ("|a-b|", "a+b")
    click(qtbot, target(panel, "a-b"))  # its box comes before |a-b|'s
    assert panel.spec().targets == ("a-b", "|a-b|", "a+b")


def test_a_range_can_be_moved_past_its_other_end_and_the_pair_is_checked(panel, qtbot):
    low, high = box(panel, "Lowest a"), box(panel, "Highest a")
    with qtbot.waitSignal(panel.changed):
        type_into(qtbot, low, "250")  # above the highest a (100) for now
    assert low.value() == 250.0
    assert problem(panel).isVisible()
    message = "These settings cannot be used: the lowest a must be below the highest a."
    assert problem(panel).text() == message
    with pytest.raises(DataSpecError, match="lowest a must be below the highest a"):
        panel.spec()
    type_into(qtbot, high, "300")
    assert panel.spec().ranges[0] == (250.0, 300.0)
    assert not problem(panel).isVisible()
    type_into(qtbot, box(panel, "Highest b"), "-5")  # equal ends are refused too
    type_into(qtbot, box(panel, "Lowest b"), "-5")
    assert "the lowest b must be below the highest b" in problem(panel).text()


def test_range_boxes_are_independent_and_document_their_bounds(panel, qtbot):
    low, high = box(panel, "Lowest a"), box(panel, "Highest a")
    type_into(qtbot, low, "123456")
    type_into(qtbot, high, "-98765")
    assert (low.value(), high.value()) == (123_456.0, -98_765.0)
    for spin in (low, high):
        assert (spin.minimum(), spin.maximum()) == (-1e9, 1e9)
        assert "from -1,000,000,000 to 1,000,000,000" in spin.toolTip()


def test_a_split_with_an_empty_part_is_explained(panel, qtbot):
    show(panel, DataSpec(samples=10, train_ratio=0.5))
    type_into(qtbot, box(panel, "Training share"), "5")
    assert problem(panel).isVisible()
    assert "at least one" in problem(panel).text()
    with pytest.raises(DataSpecError):
        panel.spec()
    type_into(qtbot, box(panel, "Training share"), "50")
    assert not problem(panel).isVisible()


def test_validation_share_changes_the_split(panel, qtbot):
    type_into(qtbot, box(panel, "Validation share"), "15")
    spec = panel.spec()
    assert spec.val_ratio == pytest.approx(0.15)
    assert spec.split_sizes() == (5_950, 1_050, 3_000)


def test_show_dataset_summarises_counts_scalers_and_first_rows(panel):
    spec = DataSpec(samples=200, val_ratio=0.2, targets=("a+b", "min(a,b)"))
    ds = make_dataset(spec)
    panel.show_dataset(ds)
    counts = named(panel, "Generated data counts", QLabel)
    assert counts.text() == "112 training · 28 validation · 60 test samples"
    scalers = named(panel, "Train-set scalers", FitTable)
    assert [scalers.item(r, 0).text() for r in range(4)] == ["a", "b", "a+b", "min(a,b)"]
    assert scalers.item(2, 1).text() == f"{ds.y_scaler.mean[0]:,.4f}"
    assert scalers.item(1, 2).text() == f"{ds.x_scaler.std[1]:,.4f}"
    preview = named(panel, "Preview", FitTable)
    assert preview.rowCount() == 8
    assert preview.columnCount() == 4
    assert preview.item(0, 0).text() == f"{ds.train.x[0, 0]:.2f}"
    assert preview.item(7, 3).text() == f"{ds.train.y[7, 1]:.2f}"


def test_preview_shows_every_column_in_the_default_settings_width(qtbot):
    """The settings column of a 1280 × 800 window is about 420 px, the panel in a scroll area."""
    area = QScrollArea()
    qtbot.addWidget(area)
    panel = DataPanel()
    area.setWidget(panel)
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
    area.resize(410, 700)
    area.show()
    qtbot.waitExposed(area)
    panel.show_dataset(make_dataset(panel.spec()))
    qtbot.wait(20)
    preview = named(panel, "Preview", FitTable)
    assert preview.columnCount() == 5
    assert preview.horizontalScrollBar().maximum() == 0
    right = preview.viewport().width()
    for c in range(preview.columnCount()):
        assert preview.columnViewportPosition(c) + preview.columnWidth(c) <= right
        assert preview.columnWidth(c) >= preview.sizeHintForColumn(c)


def test_set_editable_locks_the_settings_but_not_the_summary(panel):
    panel.set_editable(False)
    assert not box(panel, "Samples").isEnabled()
    assert not target(panel, "a+b").isEnabled()
    assert not box(panel, "Validation share").isEnabled()
    assert named(panel, "Preview", FitTable).isEnabledTo(panel)
    panel.set_editable(True)
    assert box(panel, "Samples").isEnabled()


def test_every_control_has_a_tooltip_and_an_accessible_name(panel):
    controls = panel.findChildren(QAbstractSpinBox) + panel.findChildren(QCheckBox)
    controls += panel.findChildren(QComboBox)
    assert len(controls) >= 8 + len(TARGETS)
    for control in controls:
        assert control.toolTip(), control
        assert control.accessibleName(), control
