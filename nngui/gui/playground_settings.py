"""The Playground settings: which of TensorFlow Playground's sets, its points, noise, seed,
input features and split, as the Data panel shows them when the source is a Playground set.

The group edits a PlaygroundSpec: ``spec()`` reads the boxes (DataSpecError when they cannot
be used, with the reason shown under them), ``show_spec`` shows one without emitting, and
``edited(key)`` says the user changed something (``key`` merges the edits of one visit to a
box into one undo step). Drawing the points is the core's job (``core.playground``).
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QWidget,
)

from nngui.core.data import DataSpecError, split_counts
from nngui.core.playground import CLASSIFICATION_SETS, MAX_NOISE, PLAYGROUND_SETS
from nngui.core.playground_source import FEATURES, MAX_POINTS, PlaygroundSpec
from nngui.gui.widgets import describe, float_spin, hint_label, int_spin, share_boxes

#: How each set is named in the combo box, and what its tooltip says.
SET_NAMES = {
    "circle": ("Circle", "One class inside radius 2.5, the other in a ring from 3.5 to 5."),
    "xor": ("Exclusive or", "Points in (−5, 5)², labelled by the sign of x1·x2."),
    "gauss": ("Two Gaussians", "Two clouds around (2, 2) and (−2, −2)."),
    "spiral": ("Spiral", "Two interleaved spiral arms: the hardest of the four."),
    "plane": ("Plane (regression)", "A regression: the target rises linearly with x1 + x2."),
    "multi-gauss": ("Multi-Gaussian (regression)", "A regression: a sum of Gaussian bumps."),
}
#: How each input feature is labelled.
FEATURE_LABELS = {
    "x1": "x1", "x2": "x2", "x1^2": "x1²", "x2^2": "x2²", "x1x2": "x1·x2",
    "sin_x1": "sin x1", "sin_x2": "sin x2",
}  # fmt: skip
MAX_SEED = 2**31 - 1  # QSpinBox holds a C int; PlaygroundSpec accepts up to 2**32 - 1


class PlaygroundSettings(QGroupBox):
    """Edit a PlaygroundSpec (see the module docstring)."""

    #: The user changed a setting; the argument merges the edits of one visit to a box.
    edited = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Playground set", parent)
        self.form = QFormLayout(self)
        self._visit = 0
        self._dataset = describe(
            QComboBox(), "Playground data set",
            "One of TensorFlow Playground's data sets: four classifications of two classes "
            "(-1 and 1) and two regressions, in the plane of inputs x1 and x2.",
        )  # fmt: skip
        for key in PLAYGROUND_SETS:
            name, tip = SET_NAMES[key]
            self._dataset.addItem(name, key)
            self._dataset.setItemData(self._dataset.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        self._dataset.activated.connect(lambda _i: self._changed("dataset"))
        label = QLabel("Data set:")  # (Tab from the source: no letter is free)
        label.setBuddy(self._dataset)
        self.form.addRow(label, self._dataset)
        self._points = int_spin(
            10, MAX_POINTS, 500, name="Playground points",
            tip=f"How many points to draw (10 to {MAX_POINTS:,}), half of each class for a "
            "classification, before splitting; Playground draws 500.",
        )  # fmt: skip
        self.form.addRow("&Points:", self._points)
        self._noise = float_spin(
            0.0, MAX_NOISE * 100, 0.0, name="Playground noise", step=5.0, suffix=" %",
            tip="Playground's noise, from 0 to 50 %: how far points stray across the "
            "boundary (a classification) or how much the targets scatter (a regression).",
        )  # fmt: skip
        self._noise.setSpecialValueText("None")
        self.form.addRow("&Noise:", self._noise)
        self._seed = int_spin(
            0, MAX_SEED, 0, name="Playground seed",
            tip=f"Random seed from 0 to {MAX_SEED:,}: the same seed draws the same points (and "
            "the same initial weights).",
        )  # fmt: skip
        self._seed.setGroupSeparatorShown(False)
        self.form.addRow("Rando&m seed:", self._seed)
        self.form.addRow("Features:", self._features_grid())
        self._train, self._val = share_boxes("points")
        self._train.setAccessibleName("Playground training share")
        self._val.setAccessibleName("Playground validation share")
        self.form.addRow("Tr&aining:", self._train)
        self.form.addRow("Val&idation:", self._val)
        self._sizes = QLabel()
        self._sizes.setAccessibleName("Playground split sizes")
        self._sizes.setWordWrap(True)
        self.form.addRow("Sizes:", self._sizes)
        self._hint = hint_label()
        self._hint.setAccessibleName("Playground settings problem")
        self._hint.hide()
        self.form.addRow(self._hint)
        boxes = {"points": self._points, "noise": self._noise, "seed": self._seed}
        for name, box in (boxes | {"train": self._train, "val": self._val}).items():
            box.valueChanged.connect(lambda _v, n=name: self._changed(n))
            box.editingFinished.connect(self._end_visit)
        chain: list[QWidget] = [self._dataset, self._points, self._noise, self._seed]
        chain += [*self._checks.values(), self._train, self._val]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        self.show_spec(PlaygroundSpec())

    def _features_grid(self) -> QWidget:
        holder = QWidget()
        grid = QGridLayout(holder)
        grid.setContentsMargins(0, 0, 0, 0)
        self._checks: dict[str, QCheckBox] = {}
        for i, key in enumerate(FEATURES):
            check = describe(
                QCheckBox(FEATURE_LABELS[key]), f"Feature {key}",
                f"Give the network {FEATURE_LABELS[key]} as an input, computed from the "
                "point's x1 and x2 (Playground's features).",
            )  # fmt: skip
            check.toggled.connect(lambda _on: self._changed("features"))
            grid.addWidget(check, i // 4, i % 4)
            self._checks[key] = check
        return holder

    # ----- public API -----------------------------------------------------------------------
    def spec(self) -> PlaygroundSpec:
        """The settings shown; raises DataSpecError if they cannot be used."""
        return PlaygroundSpec(
            dataset=str(self._dataset.currentData()),
            points=self._points.value(),
            noise=round(self._noise.value() / 100, 6),
            seed=self._seed.value(),
            features=tuple(k for k, check in self._checks.items() if check.isChecked()),
            train_ratio=round(self._train.value() / 100, 4),
            val_ratio=round(self._val.value() / 100, 4),
        )

    def show_spec(self, spec: PlaygroundSpec) -> None:
        """Show ``spec`` without emitting ``edited``."""
        widgets: list[QWidget] = [self._dataset, self._points, self._noise, self._seed]
        widgets += [self._train, self._val, *self._checks.values()]
        blockers = [QSignalBlocker(w) for w in widgets]
        self._dataset.setCurrentIndex(self._dataset.findData(spec.dataset))
        self._points.setValue(spec.points)
        self._noise.setValue(spec.noise * 100)
        self._seed.setValue(min(spec.seed, MAX_SEED))
        for key, check in self._checks.items():
            check.setChecked(key in spec.features)
        self._train.setValue(spec.train_ratio * 100)
        self._val.setValue(spec.val_ratio * 100)
        for blocker in blockers:
            blocker.unblock()
        self._show_split()

    def show_problem(self, text: str) -> None:
        """Say why the settings shown cannot be used (they stay shown, unchanged)."""
        self._hint.setText(text)
        self._hint.show()

    def is_classification(self) -> bool:
        """Whether the set shown is one of the four classifications."""
        return self._dataset.currentData() in CLASSIFICATION_SETS

    # ----- reactions ------------------------------------------------------------------------
    def _changed(self, box: str) -> None:
        if self._show_split():
            self.edited.emit(("playground", box, self._visit))
        if box in ("dataset", "features"):
            self._visit += 1  # a click is a finished edit

    def _end_visit(self) -> None:
        self._visit += 1

    def _show_split(self) -> bool:
        """Show the split sizes (True), or why the settings cannot be used (False)."""
        try:
            spec = self.spec()
        except DataSpecError as exc:
            self._sizes.setText("—")
            self.show_problem(f"These settings cannot be used: {exc}.")
            return False
        self._hint.hide()
        n_train, n_val, n_test = split_counts(spec.points, spec.train_ratio, spec.val_ratio)
        self._sizes.setText(f"{n_train:,} train · {n_val:,} validation · {n_test:,} test")
        return True


if __name__ == "__main__":
    from nngui.gui.widgets import run_preview

    def _make() -> PlaygroundSettings:
        group = PlaygroundSettings()
        group.edited.connect(lambda _key: print(group.spec()))
        return group

    run_preview(_make, "Playground settings preview")
