"""Number boxes never lie: typed numbers are taken exactly, or kept, marked and refused."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPushButton, QVBoxLayout, QWidget
from widget_actions import named

from nngui.core.network import MAX_UNITS
from nngui.gui.number_box import FloatBox, IntBox, format_float, parse_number, refused_entries
from nngui.gui.widgets import float_spin, int_spin


def type_text(qtbot, box, text: str, key: Qt.Key | None = Qt.Key.Key_Return) -> None:
    """Select the box's text, type ``text`` over it, then press ``key`` (None: no key)."""
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, text)
    if key is not None:
        qtbot.keyClick(box, key)


def shown(box) -> str:
    return box.findChild(QLineEdit).text()


# ----- parsing and formatting (no widgets) ------------------------------------------------
@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1e-4", 1e-4), ("2.5E6", 2.5e6), ("-5", -5), ("+7", 7), ("12,000", 12000),
        ("1,234,567.5", 1234567.5), (" 3 ", 3), ("\u22122", -2), (".5", 0.5), ("5.", 5.0),
        ("0.0012345678", 0.0012345678),
    ],
)  # fmt: skip
def test_parse_number_reads_what_people_type(text, number):
    value = parse_number(text)
    assert value == number and type(value) is type(number)


@pytest.mark.parametrize(
    "text", ["", "-", "1e", "1e-", "abc", "1,0", "12,00", "inf", "nan", "0x10", "1e400", "1_000"]
)
def test_parse_number_refuses_what_is_not_a_number(text):
    assert parse_number(text) is None


def test_parse_number_follows_the_locale_separators():
    assert parse_number("1.234,5", point=",", group=".") == 1234.5
    assert parse_number("1,5", point=",", group=".") == 1.5
    assert parse_number("1\u00a0234", point=",", group="\u00a0") == 1234
    assert parse_number("1 234", point=",", group="\u00a0") == 1234


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1e-4, "1e-4"), (0.01, "0.01"), (0.001, "0.001"), (100.0, "100"), (0.0, "0"),
        (1e30, "1e30"), (-2.5e-7, "-2.5e-7"), (12345.5, "12,345.5"), (-1e6, "-1,000,000"),
        (37.454011884736254, "37.45401188473625"), (0.00012345678, "1.2345678e-4"),
    ],
)  # fmt: skip
def test_format_float_shows_every_digit_and_no_more(value, text):
    assert format_float(value) == text
    assert parse_number(text) == value  # what is shown reads back as the same number


# ----- boxes as a person uses them --------------------------------------------------------
@pytest.fixture
def form(qtbot):
    """A learning-rate box, a samples box and a button to move the focus to."""
    holder = QWidget()
    layout = QVBoxLayout(holder)
    rate = float_spin(1e-6, 10.0, 0.01, name="Learning rate", tip="Step size.")
    samples = int_spin(10, 10_000_000, 10_000, name="Samples", tip="How many.")
    button = QPushButton("Elsewhere")
    for w in (rate, samples, button):
        layout.addWidget(w)
    qtbot.addWidget(holder)
    holder.show()
    qtbot.waitExposed(holder)
    holder.activateWindow()
    yield rate, samples, button
    holder.close()  # (held here: qtbot keeps only a weak reference)


def test_scientific_notation_is_taken_and_shown(form, qtbot):
    rate, _, _ = form
    with qtbot.waitSignal(rate.valueChanged) as changed:
        type_text(qtbot, rate, "1e-4")
    assert changed.args == [1e-4] and rate.value() == 1e-4
    assert shown(rate) == "1e-4"
    assert rate.refusal() is None and not rate.property("refused")


def test_every_typed_digit_is_kept(form, qtbot):
    rate, _, _ = form
    type_text(qtbot, rate, "0.0012345678")
    assert rate.value() == 0.0012345678
    type_text(qtbot, rate, "0.123456789")
    assert rate.value() == 0.123456789 and shown(rate) == "0.123456789"


def test_a_half_typed_number_is_never_the_value(form, qtbot):
    """ "1e-4" passes through "1" on the way: that must not become the setting."""
    rate, _, _ = form
    seen = []
    rate.valueChanged.connect(seen.append)
    type_text(qtbot, rate, "1e-4", key=None)
    assert seen == [] and rate.value() == 0.01
    qtbot.keyClick(rate, Qt.Key.Key_Return)
    assert seen == [1e-4]


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("-5", "Samples: -5 is below the smallest allowed value, 10."),
        ("1", "Samples: 1 is below the smallest allowed value, 10."),
        ("20000000", "Samples: 20000000 is above the largest allowed value, 10,000,000."),
        ("12.5", "Samples: 12.5 is not a whole number. Type a whole number from 10 to 10,000,000."),
        ("abc", "Samples: “abc” is not a number. Type a number from 10 to 10,000,000."),
        ("", "Samples: the box is empty. Type a number from 10 to 10,000,000."),
    ],
)  # fmt: skip
def test_a_number_the_box_cannot_hold_is_kept_and_refused(form, qtbot, text, why):
    _, samples, _ = form
    seen = []
    samples.valueChanged.connect(seen.append)
    if text:
        type_text(qtbot, samples, text)
    else:
        samples.setFocus()
        samples.selectAll()
        qtbot.keyClick(samples, Qt.Key.Key_Delete)
        qtbot.keyClick(samples, Qt.Key.Key_Return)
    assert shown(samples) == text, "the box keeps what was typed"
    assert samples.value() == 10_000 and seen == [], "the setting is unchanged"
    assert samples.refusal() == why
    assert samples.property("refused") is True
    assert samples.toolTip().startswith(why) and samples.toolTip().endswith("How many.")
    assert samples.accessibleDescription() == why


def test_leaving_the_box_keeps_refused_text_too(form, qtbot):
    _, samples, button = form
    type_text(qtbot, samples, "1", key=None)
    button.setFocus()  # the box loses the focus: the edit is finished
    assert not samples.hasFocus()
    assert shown(samples) == "1" and samples.value() == 10_000
    assert samples.refusal() is not None


def test_the_refusal_is_announced_once(form, qtbot):
    _, samples, _ = form
    with qtbot.waitSignal(samples.refused) as said:
        type_text(qtbot, samples, "5")
    assert said.args[0].startswith("Samples: 5 is below the smallest allowed value, 10.")
    assert "The setting stays 10,000" in said.args[0]


def test_correcting_the_text_takes_it_and_clears_the_mark(form, qtbot):
    _, samples, _ = form
    type_text(qtbot, samples, "5")
    type_text(qtbot, samples, "50")
    assert samples.value() == 50 and samples.refusal() is None
    assert samples.property("refused") is False and samples.toolTip() == "How many."


def test_esc_puts_the_setting_back(form, qtbot):
    _, samples, _ = form
    type_text(qtbot, samples, "5", key=Qt.Key.Key_Escape)
    assert shown(samples) == "10,000" and samples.refusal() is None
    type_text(qtbot, samples, "5")
    qtbot.keyClick(samples, Qt.Key.Key_Escape)
    assert shown(samples) == "10,000" and samples.refusal() is None and samples.value() == 10_000


def test_grouping_and_exponents_are_whole_numbers_too(form, qtbot):
    _, samples, _ = form
    type_text(qtbot, samples, "12,000")
    assert samples.value() == 12_000
    type_text(qtbot, samples, "1e4")
    assert samples.value() == 10_000 and shown(samples) == "10,000"


def test_refused_text_survives_being_hidden_and_shown(form, qtbot):
    _, samples, _ = form
    type_text(qtbot, samples, "5")
    holder = samples.parentWidget()
    holder.hide()
    holder.show()
    assert shown(samples) == "5" and samples.refusal() is not None


def test_refused_entries_finishes_edits_and_lists_the_refusals(form, qtbot):
    rate, samples, _ = form
    type_text(qtbot, rate, "0.5", key=None)  # typed, not finished
    type_text(qtbot, samples, "3", key=None)
    refused = refused_entries(samples.parentWidget())
    assert rate.value() == 0.5, "a good number still being typed is taken"
    assert [box for box, _ in refused] == [samples]
    assert refused[0][1].startswith("Samples: 3 is below")


def test_special_text_is_the_minimum(qtbot):
    box = int_spin(0, 100, 5, name="Batch size", tip="t", special="Full batch")
    qtbot.addWidget(box)
    box.show()
    type_text(qtbot, box, "Full batch")
    assert box.value() == 0 and box.refusal() is None
    type_text(qtbot, box, "7")
    type_text(qtbot, box, "0")
    assert box.value() == 0 and shown(box) == "Full batch"


def test_suffixes_may_be_typed_or_left_out(qtbot):
    box = float_spin(0.0, 100.0, 70.0, name="Training share", tip="t", suffix=" %")
    qtbot.addWidget(box)
    box.show()
    type_text(qtbot, box, "62.5")
    assert box.value() == 62.5 and shown(box) == "62.5 %"
    box.setFocus()
    box.lineEdit().selectAll()  # the suffix too, which selectAll() leaves out
    qtbot.keyClicks(box, "80%")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert box.value() == 80.0 and shown(box) == "80 %"
    type_text(qtbot, box, "180 %")
    assert box.refusal() == "Training share: 180 is above the largest allowed value, 100."


def test_live_boxes_follow_each_valid_keystroke(qtbot):
    box = float_spin(-10.0, 10.0, 0.0, name="Input a", tip="t", live=True)
    qtbot.addWidget(box)
    box.show()
    seen = []
    box.valueChanged.connect(seen.append)
    type_text(qtbot, box, "2.5", key=None)
    assert seen[-1] == 2.5


def test_box_classes():
    assert isinstance(int_spin(0, 1, 0, name="n", tip="t"), IntBox)
    assert isinstance(float_spin(0, 1, 0, name="n", tip="t"), FloatBox)


# ----- in the window -----------------------------------------------------------------------
def test_the_learning_rate_takes_1e_minus_4(main_window, qtbot):
    panel = main_window.training_panel
    main_window.tabs.setCurrentIndex(2)
    type_text(qtbot, named(panel, "Learning rate", FloatBox), "1e-4")
    assert panel.config().lr == 1e-4 and main_window.config().lr == 1e-4


def test_the_layer_builder_refuses_too_many_units(main_window, qtbot):
    main_window.tabs.setCurrentIndex(1)
    units = named(main_window.layer_builder, "Units of hidden layer 1", IntBox)
    type_text(qtbot, units, str(MAX_UNITS * 10))
    assert shown(units) == str(MAX_UNITS * 10)
    assert main_window.layer_builder.hidden_layers()[0].units == 4
    assert units.refusal() == (
        f"Units of hidden layer 1: {MAX_UNITS * 10} is above the largest allowed value, "
        f"{MAX_UNITS}."
    )


def test_the_status_bar_says_why_a_number_was_refused(main_window, qtbot):
    main_window.tabs.setCurrentIndex(0)
    type_text(qtbot, named(main_window.data_panel, "Samples", IntBox), "1")
    message = main_window.statusBar().currentMessage()
    assert message.startswith("Samples: 1 is below the smallest allowed value, 10.")
    assert main_window.data_panel.spec().samples == 10_000
    qtbot.keyClick(named(main_window.data_panel, "Samples", IntBox), Qt.Key.Key_Escape)
    assert main_window.statusBar().currentMessage() == "", "put back: the message goes too"


def test_training_waits_while_a_box_refuses_its_text(main_window, answers, qtbot):
    main_window.tabs.setCurrentIndex(0)
    samples = named(main_window.data_panel, "Samples", IntBox)
    type_text(qtbot, samples, "1", key=None)  # not finished: Train (F5) finishes it
    qtbot.keyClick(samples, Qt.Key.Key_F5)
    assert len(answers.asked("warning")) == 1
    assert "Samples: 1 is below" in answers.asked("warning")[0]
    assert main_window.state == "idle" and main_window.session.history.epochs == 0
    main_window.tabs.setCurrentIndex(2)  # from another tab, with the Train button
    train = named(main_window.training_panel, "Train", QPushButton)
    qtbot.mouseClick(train, Qt.MouseButton.LeftButton)
    assert len(answers.asked("warning")) == 2 and main_window.state == "idle"
    assert main_window.tabs.currentIndex() == 0 and samples.hasFocus()
    assert samples.text() == "1", "still what was typed"
    qtbot.keyClick(samples, Qt.Key.Key_Escape)
    main_window.step()
    qtbot.waitUntil(lambda: main_window.state == "finished", timeout=10_000)
    assert main_window.session.history.epochs == 1
    assert main_window.session.dataset.spec.samples == 10_000
