"""Number boxes that never lie: what is typed is taken exactly, or kept and visibly refused.

Qt's spin boxes drop keystrokes they cannot place (``1e-4`` becomes ``1``, ``-5`` becomes
``5``), clamp out-of-range numbers to the nearest bound and silently put the previous value
back when the text is not a number, and they round floats to a fixed number of decimals. The
boxes here instead:

- accept scientific notation (``1e-4``, ``2.5E6``), the locale's digit grouping in its proper
  places, and show floats with every digit they hold (``1e-4``, ``0.01``, ``37.454011884736``);
- keep a number that is out of range, not a (whole) number, or empty exactly as typed when the
  edit is finished (Return or leaving the box), mark the box, say why in its tooltip, in the
  window's status bar and in a tooltip beside it, and leave the setting's value unchanged;
- change their value only when an edit is finished (no keyboard tracking) unless built
  ``live``, so a half-typed number is never a setting, even for a moment.

Esc in a box with refused or unfinished text puts the setting's value back. ``refused_entries``
finishes the edits of every box under a widget and lists those that refuse theirs, for actions
(such as Train) that must not go on with a box showing something other than its value.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import numpy as np
from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QHideEvent,
    QKeyEvent,
    QPalette,
    QShowEvent,
    QValidator,
)
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QDoubleSpinBox,
    QMainWindow,
    QSpinBox,
    QToolTip,
    QWidget,
)

#: Longest text a box takes (a pasted essay is not a number, and is not kept).
MAX_TEXT = 64
#: Floats from this size up, and below SMALL (but not zero), are shown in scientific notation.
LARGE = 1e15
SMALL = 1e-3
#: How a refused box looks: a warm background, readable on light and dark palettes.
REFUSED_BASE = QColor("#ffd9d6")
REFUSED_TEXT = QColor("#5c0b00")

_MINUS = "\u2212"
_SPACES = " \u00a0\u202f\u2009"


def _number_pattern(group: str, point: str) -> re.Pattern[str]:
    """Digits with optional grouping (in threes), fraction and exponent, nothing else."""
    g, p = re.escape(group), re.escape(point)
    integer = rf"(?:\d{{1,3}}(?:{g}\d{{3}})+|\d+)" if group else r"\d+"
    return re.compile(rf"[+-]?(?:{integer}(?:{p}\d*)?|{p}\d+)(?:[eE][+-]?\d+)?")


def parse_number(text: str, *, point: str = ".", group: str = ",") -> float | int | None:
    """The number ``text`` spells, or None: an int when written without fraction or exponent.

    ``point`` and ``group`` are the locale's decimal point and group separator; grouping is
    accepted only between groups of three digits ("1,000", not "1,0"). Spaces around the
    number and a Unicode minus sign are accepted; "inf", "nan" and hexadecimal are not.
    """
    body = text.strip(_SPACES).replace(_MINUS, "-")
    if group in _SPACES:
        body = body.replace(group, " ")
        group = " "
    if not body or len(body) > MAX_TEXT or not _number_pattern(group, point).fullmatch(body):
        return None
    plain = body.replace(group, "") if group else body
    if point not in plain and "e" not in plain.lower():
        return int(plain)
    value = float(plain.replace(point, "."))
    return value if math.isfinite(value) else None


def format_float(value: float, *, point: str = ".", group: str = ",") -> str:
    """``value`` with all the digits it holds and no more, scientific when tiny or huge.

    "0.01", "100", "1e-4", "1.5e20", "12,345.5" (grouped when ``group`` is not empty).
    """
    if value == 0:
        return "0"
    size = abs(value)
    if size < SMALL or size >= LARGE:
        text = np.format_float_scientific(value, unique=True, trim="-", exp_digits=1)
        mantissa, exponent = text.split("e")
        return f"{mantissa.replace('.', point)}e{int(exponent)}"
    text = np.format_float_positional(value, unique=True, trim="-")
    whole, _, fraction = text.partition(".")
    if group:
        sign = "-" if whole.startswith("-") else ""
        whole = sign + f"{int(whole.lstrip('-')):,}".replace(",", group)
    return whole + (point + fraction if fraction else "")


if TYPE_CHECKING:  # what the mixin is mixed into, as far as type checks need to know
    _Box = QDoubleSpinBox
else:
    _Box = object

_Event = TypeVar("_Event", bound=QEvent)


class _NumberEntry(_Box):
    """What both boxes share; mixed into a QSpinBox or QDoubleSpinBox subclass."""

    refused: Signal  # the message, when a finished edit is refused

    def _set_up_entry(self, live: bool) -> None:
        self._refusal: str | None = None
        self._announced = ""  # the status bar message of the last refusal
        self._plain_tip = ""
        self.setKeyboardTracking(live)
        self.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToPreviousValue)
        self.lineEdit().textChanged.connect(self._on_text_changed)

    # ----- reading text ----------------------------------------------------------------------
    def _body(self, text: str) -> str:
        """``text`` without the box's prefix and suffix (where the user left them)."""
        prefix, suffix = self.prefix(), self.suffix()
        if prefix and text.startswith(prefix):
            text = text[len(prefix) :]
        unit = suffix.strip()
        if unit and text.endswith(suffix):
            text = text[: -len(suffix)]
        text = text.rstrip(_SPACES)
        if unit and text.endswith(unit):  # typed too ("80 %" before the kept " %")
            text = text[: -len(unit)]
        return text.strip(_SPACES)

    def _read(self, text: str) -> tuple[float | int | None, str | None]:
        """(value, None) when ``text`` is a value this box holds, else (None, why not)."""
        name = self.accessibleName() or "This box"
        special = self.specialValueText()
        if special and text.strip() == special:
            return self.minimum(), None
        body = self._body(text)
        low, high = self._shown(self.minimum()), self._shown(self.maximum())
        span = f"from {low} to {high}"
        if not body:
            return None, f"{name}: the box is empty. Type a number {span}."
        locale = self.locale()
        number = parse_number(body, point=locale.decimalPoint(), group=locale.groupSeparator())
        if number is None:
            return None, f"{name}: “{body}” is not a number. Type a number {span}."
        if isinstance(self, QSpinBox):
            if isinstance(number, float) and not number.is_integer():
                return None, f"{name}: {body} is not a whole number. Type a whole number {span}."
            number = int(number)
        if number < self.minimum():
            return None, f"{name}: {body} is below the smallest allowed value, {low}."
        if number > self.maximum():
            return None, f"{name}: {body} is above the largest allowed value, {high}."
        return number, None

    def _shown(self, value: float) -> str:
        """``value`` as the box shows it (the special text's number, not the text itself)."""
        return self.textFromValue(value)

    def problem(self) -> str | None:
        """Why the text now in the box cannot be its value, or None when it can."""
        return self._read(self.lineEdit().text())[1]

    def refusal(self) -> str | None:
        """The message of the refused edit the box is showing, or None."""
        return self._refusal

    # ----- QAbstractSpinBox overrides --------------------------------------------------------
    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        """Acceptable when ``text`` is a value; otherwise Intermediate, so the text stays."""
        if len(text) > MAX_TEXT + len(self.prefix()) + len(self.suffix()):
            return QValidator.State.Invalid, text, pos
        ok = self._read(text)[1] is None
        state = QValidator.State.Acceptable if ok else QValidator.State.Intermediate
        return state, text, pos

    def fixup(self, text: str) -> str:
        """Leave the text alone: a refused number is kept as typed, never corrected."""
        return text

    def commit(self) -> str | None:
        """Finish the edit: take the text as the value, or refuse it; returns why, or None."""
        problem = self.problem()
        if problem is None:
            self.interpretText()  # emits valueChanged when the value changed
            self._mark(None)
        else:
            self._mark(problem)
        return problem

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.commit() is not None:
                self.selectAll()
                self.editingFinished.emit()
                event.accept()
                return
        elif key == Qt.Key.Key_Escape and self._text_differs():
            self._mark(None)
            self.lineEdit().setText(self._full_text())
            self.selectAll()
            event.accept()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt override)
        if self.commit() is None:
            super().focusOutEvent(event)
            return
        # Skip QAbstractSpinBox's handler, which would put the previous value's text back.
        self.lineEdit().event(event)
        QWidget.focusOutEvent(self, event)
        self.editingFinished.emit()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        self._keeping_refused_text(super().showEvent, event)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 (Qt override)
        self._keeping_refused_text(super().hideEvent, event)

    def _keeping_refused_text(self, handler: Callable[[_Event], None], event: _Event) -> None:
        """Run Qt's ``handler``, which puts the value's text back, then the refused text again.

        (Hiding or showing the box, e.g. with its tab, is no reason to drop what was typed.)
        """
        refused, text = self._refusal, self.lineEdit().text()
        handler(event)
        if refused is not None and self.lineEdit().text() != text:
            self.lineEdit().setText(text)
            self._mark(refused, announce=False)

    def setToolTip(self, tip: str) -> None:  # noqa: N802
        self._plain_tip = tip
        self._show_tip()

    # ----- marking ---------------------------------------------------------------------------
    def _full_text(self) -> str:
        """The text the box shows for its value."""
        special = self.specialValueText()
        if special and self.value() == self.minimum():
            return special
        return self.prefix() + self.textFromValue(self.value()) + self.suffix()

    def _text_differs(self) -> bool:
        return self._refusal is not None or self.lineEdit().text() != self._full_text()

    def _on_text_changed(self, text: str) -> None:
        if self._refusal is not None and self._read(text)[1] is None:
            self._mark(None)

    def _mark(self, problem: str | None, announce: bool = True) -> None:
        was = self._refusal
        self._refusal = problem
        if (was is None) != (problem is None):
            self.setProperty("refused", problem is not None)
            if problem is None:
                self.setPalette(QPalette())  # back to the inherited palette
            else:
                palette = QPalette(self.palette())
                palette.setColor(QPalette.ColorRole.Base, REFUSED_BASE)
                palette.setColor(QPalette.ColorRole.Text, REFUSED_TEXT)
                self.setPalette(palette)
        self._show_tip()
        self.setAccessibleDescription(problem or "")
        window = self.window()
        bar = window.statusBar() if isinstance(window, QMainWindow) else None
        if problem is None:  # corrected or put back: the refusal's message goes too
            if bar is not None and was is not None and bar.currentMessage() == self._announced:
                bar.clearMessage()
            return
        if not announce:
            return
        message = f"{problem} The setting stays {self._full_text().strip()}; Esc puts it back."
        self._announced = message
        if bar is not None:
            bar.showMessage(message, 15000)
        if self.isVisible():
            QToolTip.showText(self.mapToGlobal(QPoint(0, self.height())), message, self)
        if problem != was:
            self.refused.emit(message)

    def _show_tip(self) -> None:
        tip = self._plain_tip
        if self._refusal is not None:
            tip = f"{self._refusal}\n\n{tip}" if tip else self._refusal
        QAbstractSpinBox.setToolTip(self, tip)


class IntBox(_NumberEntry, QSpinBox):
    """An integer box: takes "12,000" or "1e4"; refuses visibly what it cannot hold."""

    refused = Signal(str)

    if TYPE_CHECKING:  # QSpinBox's int accessors (the mixin is typed as a QDoubleSpinBox)

        def value(self) -> int: ...
        def minimum(self) -> int: ...
        def maximum(self) -> int: ...
        def singleStep(self) -> int: ...  # noqa: N802 (Qt name)

    def __init__(self, parent: QWidget | None = None, *, live: bool = False) -> None:
        super().__init__(parent)
        self._set_up_entry(live)

    def valueFromText(self, text: str) -> int:  # noqa: N802 (Qt override)
        """The value ``text`` spells (called by Qt only for acceptable text)."""
        value = self._read(text)[0]
        return self.value() if value is None else int(value)


class FloatBox(_NumberEntry, QDoubleSpinBox):
    """A float box: takes "1e-4" and any digits, shows every digit it holds, never rounds."""

    refused = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, live: bool = False) -> None:
        super().__init__(parent)
        self.setDecimals(323)  # Qt rounds every value to this many decimals: to none at all
        self._set_up_entry(live)

    def valueFromText(self, text: str) -> float:  # noqa: N802 (Qt override)
        """The value ``text`` spells (called by Qt only for acceptable text)."""
        value = self._read(text)[0]
        return self.value() if value is None else float(value)

    def textFromValue(self, value: float) -> str:  # noqa: N802 (Qt override)
        """``value`` with every digit it holds, in the locale's notation."""
        locale = self.locale()
        group = locale.groupSeparator() if self.isGroupSeparatorShown() else ""
        return format_float(value, point=locale.decimalPoint(), group=group)


NumberBox = IntBox | FloatBox


def refused_entries(root: QWidget) -> list[tuple[IntBox | FloatBox, str]]:
    """Finish the edit of every number box under ``root``; those that refuse theirs, and why."""
    found: list[tuple[IntBox | FloatBox, str]] = []
    for box in root.findChildren(QAbstractSpinBox):
        if isinstance(box, IntBox | FloatBox) and box.isEnabled():
            problem = box.commit() if box._text_differs() else None
            if problem is not None:
                found.append((box, problem))
    return found
