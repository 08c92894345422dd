"""DataPanel: editing real widgets gives the DataSpec the user means; summaries show the data."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractSpinBox, QCheckBox, QComboBox

from nngui.core.data import TARGETS, DataSpec, DataSpecError, make_dataset
from nngui.gui.data_panel import DataPanel


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


def click(qtbot, check: QCheckBox) -> None:
    """Click a check box on its indicator (the box at its left edge)."""
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton, pos=QPoint(6, check.height() // 2))


def test_defaults_are_the_articles_spec(panel):
    assert panel.spec() == DataSpec()


def test_set_spec_mirrors_every_setting_without_emitting(panel, qtbot):
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
        panel.set_spec(spec)
    assert panel.spec() == spec
    assert panel._samples.text() == "2,500"


def test_typing_samples_emits_changed_and_updates_spec(panel, qtbot):
    with qtbot.waitSignal(panel.changed):
        type_into(qtbot, panel._samples, "5000")
    assert panel.spec().samples == 5_000
    assert panel._sizes.text() == "3,500 train · 0 validation · 1,500 test"


def test_unchecking_the_last_target_is_refused_with_a_hint(panel, qtbot):
    panel.set_spec(DataSpec(targets=("a+b",)))
    check = panel._checks["a+b"]
    with qtbot.assertNotEmitted(panel.changed):
        click(qtbot, check)
    assert check.isChecked()
    assert panel.spec().targets == ("a+b",)
    assert panel._target_hint.isVisible()
    click(qtbot, panel._checks["a-b"])
    assert not panel._target_hint.isVisible()


def test_checked_targets_keep_their_order_and_new_ones_come_last(panel, qtbot):
    click(qtbot, panel._checks["a*b"])
    click(qtbot, panel._checks["a+b"])  # uncheck
    assert panel.spec().targets == ("a-b", "|a-b|", "a*b")
    click(qtbot, panel._checks["a+b"])  # check again
    assert panel.spec().targets == ("a-b", "|a-b|", "a*b", "a+b")


def test_low_end_of_a_range_cannot_pass_the_high_end(panel, qtbot):
    low, high = panel._lows[0], panel._highs[0]
    type_into(qtbot, low, "150")
    assert low.value() < high.value()
    type_into(qtbot, high, "300")
    type_into(qtbot, low, "150")
    assert panel.spec().ranges[0] == (150.0, 300.0)
    type_into(qtbot, high, "100")  # below the low end: clamped above it
    lo, hi = panel.spec().ranges[0]
    assert lo < hi


def test_a_split_with_an_empty_part_is_explained(panel, qtbot):
    panel.set_spec(DataSpec(samples=10, train_ratio=0.5))
    type_into(qtbot, panel._train, "5")
    assert panel._split_hint.isVisible()
    assert "at least one" in panel._split_hint.text()
    with pytest.raises(DataSpecError):
        panel.spec()
    type_into(qtbot, panel._train, "50")
    assert not panel._split_hint.isVisible()


def test_validation_share_changes_the_split(panel, qtbot):
    type_into(qtbot, panel._val, "15")
    spec = panel.spec()
    assert spec.val_ratio == pytest.approx(0.15)
    assert spec.split_sizes() == (5_950, 1_050, 3_000)


def test_show_dataset_summarises_counts_scalers_and_first_rows(panel):
    spec = DataSpec(samples=200, val_ratio=0.2, targets=("a+b", "min(a,b)"))
    ds = make_dataset(spec)
    panel.show_dataset(ds)
    assert panel._counts.text() == "112 training · 28 validation · 60 test samples"
    scalers = panel._scalers
    assert [scalers.item(r, 0).text() for r in range(4)] == ["a", "b", "a+b", "min(a,b)"]
    assert scalers.item(2, 1).text() == f"{ds.y_scaler.mean[0]:,.4f}"
    assert scalers.item(1, 2).text() == f"{ds.x_scaler.std[1]:,.4f}"
    preview = panel._preview
    assert preview.rowCount() == 8
    assert preview.columnCount() == 4
    assert preview.item(0, 0).text() == f"{ds.train.x[0, 0]:.4f}"
    assert preview.item(7, 3).text() == f"{ds.train.y[7, 1]:.4f}"


def test_set_editable_locks_the_settings_but_not_the_summary(panel):
    panel.set_editable(False)
    assert not panel._samples.isEnabled()
    assert not panel._checks["a+b"].isEnabled()
    assert not panel._val.isEnabled()
    assert panel._preview.isEnabledTo(panel)
    panel.set_editable(True)
    assert panel._samples.isEnabled()


def test_every_control_has_a_tooltip_and_an_accessible_name(panel):
    controls = panel.findChildren(QAbstractSpinBox) + panel.findChildren(QCheckBox)
    controls += panel.findChildren(QComboBox)
    assert len(controls) >= 8 + len(TARGETS)
    for control in controls:
        assert control.toolTip(), control
        assert control.accessibleName(), control
