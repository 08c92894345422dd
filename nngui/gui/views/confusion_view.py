"""The Confusion view: a classifier's confusion matrix and per-class metrics on one split.

For the chosen split (test by default) the K × K matrix counts the rows of each true class
(a row of the grid) by the class the network predicts for them (a column): the most probable
one, as ``core.classification.classification_metrics`` decides it. Each cell is coloured by its
share of the true class's rows, blue on the diagonal (right) and red off it (wrong), so a good
classifier shows a dark blue diagonal on a pale grid; the text is black or white, whichever
reads on the cell. Below the matrix, per class: precision, recall, F1 and support (the rows of
that true class), and above it the split's accuracy, log loss and row count.

The matrix is a QTableWidget whose cells are created once per class list and then only get new
text and colours; a refresh predicts the one split shown (about a millisecond for 1,000 rows of
the presets' networks), so ``show_state`` is cheap and another split is computed when chosen.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Qt
from PySide6.QtGui import QColor, QFont, QPalette, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nngui.core.classification import Classes, ClassificationMetrics, classification_metrics
from nngui.gui.views.base import View, ViewState
from nngui.gui.widgets import FlowLayout, describe, hint_label, read_only_item, run_preview

#: The splits offered, in order, with the names people read.
SPLIT_LABELS = {"train": "Training", "val": "Validation", "test": "Test"}
#: What the cells can show: the count of rows, or their share of the true class's rows.
SHOW_MODES = {"counts": "Counts", "share": "Row %"}
PER_CLASS_HEADERS = ["Class", "Precision", "Recall", "F1", "Support"]
#: Colour of a full cell on the diagonal (right predictions) and off it (wrong ones).
RIGHT_COLOUR = QColor(31, 119, 180)
WRONG_COLOUR = QColor(214, 39, 40)
NO_VALUE = "—"
NO_STATE = "No network yet: build a classifier and train it, and its confusion matrix shows here."
NOT_A_CLASSIFIER = (
    "The confusion matrix is for classifiers: choose a Playground set or a CSV file with a "
    "label column."
)
CAPTION = "Rows: true class · columns: predicted class · colour: share of the row (blue: right)"


@dataclass(frozen=True)
class SplitConfusion:
    """The metrics of one split: ``classification_metrics`` of its rows, how many rows it
    has, and how many of them got non-finite probabilities (a diverged network)."""

    split: str
    metrics: ClassificationMetrics
    rows: int
    non_finite: int

    @property
    def support(self) -> np.ndarray:
        """Rows of each true class (the matrix's row sums)."""
        out: np.ndarray = self.metrics.confusion.sum(axis=1)
        return out

    def shares(self) -> np.ndarray:
        """Each cell's share of its true class's rows (0 in the row of a class with none)."""
        support = self.support[:, None].astype(np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(support > 0, self.metrics.confusion / support, 0.0)
        out: np.ndarray = share
        return out


def true_classes(y: np.ndarray, k: int) -> np.ndarray:
    """The true class index of each row of coded targets ``y`` (0/1 for two classes, else
    one-hot), as the model's evaluation reads them."""
    if k == 2:
        out: np.ndarray = y[:, 0].astype(np.int64)
        return out
    index: np.ndarray = np.argmax(y, axis=1)
    return index


def split_confusion(state: ViewState, split: str) -> SplitConfusion | None:
    """The confusion of ``state``'s classifier on ``split`` (None: no such split, no rows,
    or not a classifier). Non-finite weights give NaN probabilities, never an error."""
    model = state.model
    part = getattr(state.dataset, split, None)
    if not is_classifier(state) or part is None or len(part) == 0:
        return None
    classes = Classes(tuple(model.classes))
    with np.errstate(all="ignore"):
        p = classes.class_probabilities(np.asarray(model.predict(part.x), dtype=np.float64))
        metrics = classification_metrics(p, true_classes(part.y, classes.k), classes.k)
    non_finite = int(np.count_nonzero(~np.isfinite(p).all(axis=1)))
    return SplitConfusion(split, metrics, len(part), non_finite)


def is_classifier(state: ViewState) -> bool:
    """Whether ``state``'s model classifies (into at least two classes)."""
    return state.model.task == "classification" and len(state.model.classes) >= 2


def blend(base: QColor, full: QColor, share: float) -> QColor:
    """``base`` moved ``share`` (0 … 1, clipped; NaN as 0) of the way towards ``full``."""
    t = float(share) if np.isfinite(share) else 0.0
    t = min(max(t, 0.0), 1.0)
    return QColor(
        round(base.red() + t * (full.red() - base.red())),
        round(base.green() + t * (full.green() - base.green())),
        round(base.blue() + t * (full.blue() - base.blue())),
    )


def luminance(colour: QColor) -> float:
    """The relative luminance of ``colour`` (WCAG: 0 black … 1 white)."""

    def linear(c: int) -> float:
        v = c / 255.0
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * linear(colour.red())
        + 0.7152 * linear(colour.green())
        + 0.0722 * linear(colour.blue())
    )


def text_colour(background: QColor) -> QColor:
    """Black or white, whichever contrasts more with ``background`` (WCAG contrast ratio)."""
    lum = luminance(background)
    on_black = (lum + 0.05) / 0.05
    on_white = 1.05 / (lum + 0.05)
    return QColor(0, 0, 0) if on_black >= on_white else QColor(255, 255, 255)


def format_share(share: float) -> str:
    """A row share as the cells show it: whole per cent, "<1 %" for a small non-zero one."""
    if not np.isfinite(share):
        return NO_VALUE
    if 0 < share < 0.005:
        return "<1 %"
    return f"{share * 100:.0f} %"


def format_score(v: float) -> str:
    """Precision, recall or F1: three decimals (NaN "—")."""
    return f"{v:.3f}" if np.isfinite(v) else NO_VALUE


def summary_text(confusion: SplitConfusion) -> str:
    """One split's summary line: "Accuracy 97.5 % · log loss 0.081 · 200 rows"."""
    m = confusion.metrics
    accuracy = f"{m.accuracy * 100:.1f} %" if np.isfinite(m.accuracy) else NO_VALUE
    loss = f"{m.log_loss:.3g}" if not np.isnan(m.log_loss) else NO_VALUE
    rows = f"{confusion.rows:,} row" + ("" if confusion.rows == 1 else "s")
    return f"Accuracy {accuracy} · log loss {loss} · {rows}"


class ConfusionView(View):
    """The confusion matrix of a classifier on one split, with per-class metrics."""

    title = "Confusion"
    # Cheap (one split's predictions and K² cells), but a table repaint is not free: twice a
    # second while training is plenty for counts that change slowly.
    live_rate = 2.0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state: ViewState | None = None
        self._cache: dict[str, SplitConfusion | None] = {}
        self._classes: tuple[str, ...] = ()
        self._shown: SplitConfusion | None = None
        self._user_sized = False
        self.build_frame(self._toolbar(), self._content(), NO_STATE)
        self.show_state(None)

    # ----- construction -------------------------------------------------------------------
    def _toolbar(self) -> FlowLayout:
        row = FlowLayout()
        row.setContentsMargins(6, 4, 6, 0)
        self.split_combo = describe(
            QComboBox(), "Split to show",
            "The rows counted: the training rows the network learnt from, the validation "
            "rows that chose the kept weights, or the unseen test rows.",
        )  # fmt: skip
        for split, label in SPLIT_LABELS.items():
            self.split_combo.addItem(label, split)
        self.split_combo.setCurrentIndex(self.split_combo.findData("test"))
        self.split_combo.currentIndexChanged.connect(self._on_choice)
        self.show_combo = describe(
            QComboBox(), "Cell values",
            "What each cell shows: how many rows of the true class (its row) were predicted "
            "as the class of its column, or their share of the true class's rows.",
        )  # fmt: skip
        for mode, label in SHOW_MODES.items():
            self.show_combo.addItem(label, mode)
        self.show_combo.currentIndexChanged.connect(self._on_choice)
        split_label = QLabel("&Split:")
        split_label.setBuddy(self.split_combo)
        show_label = QLabel("Cell val&ues:")
        show_label.setBuddy(self.show_combo)
        row.add_group(split_label, self.split_combo)
        row.add_group(show_label, self.show_combo)
        return row

    def _content(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.summary = describe(
            hint_label(warning=False, keep_height=True), "Confusion summary",
            "Accuracy (share of rows predicted right), log loss (mean −log of the true "
            "class's probability) and the number of rows of the split.",
        )  # fmt: skip
        self.summary.setForegroundRole(QPalette.ColorRole.WindowText)
        layout.addWidget(self.summary)
        self.notice = describe(
            hint_label(keep_height=True), "Confusion warning",
            "Something about these counts needs attention.",
        )  # fmt: skip
        self.notice.hide()
        layout.addWidget(self.notice)
        self.caption = describe(
            hint_label(CAPTION, warning=False, keep_height=True), "Confusion matrix caption",
            "How to read the confusion matrix.",
        )  # fmt: skip
        layout.addWidget(self.caption)
        self.matrix = describe(
            QTableWidget(), "Confusion matrix",
            "Rows: the true class; columns: the class the network predicts (the most "
            "probable). Each cell counts the rows of its true class predicted as its column's "
            "class; its colour is their share of the true class's rows.",
        )  # fmt: skip
        self._set_up_matrix()
        self.per_class = describe(
            QTableWidget(0, len(PER_CLASS_HEADERS)), "Per-class metrics",
            "Per class: precision (share of the rows predicted as it that truly are), recall "
            "(share of its rows predicted right), F1 (their harmonic mean) and support (rows "
            "of that true class).",
        )  # fmt: skip
        self._set_up_per_class()
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.matrix)
        splitter.addWidget(self.per_class)
        splitter.setChildrenCollapsible(False)
        splitter.splitterMoved.connect(self._on_splitter_moved)
        splitter.installEventFilter(self)
        self._splitter = splitter
        layout.addWidget(splitter, 1)
        return page

    def _row_height(self) -> int:
        return self.fontMetrics().height() + 6

    def _set_up_matrix(self) -> None:
        table = self.matrix
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setTabKeyNavigation(False)  # Tab leaves the table (arrows move within it)
        table.setWordWrap(False)
        for header in (table.horizontalHeader(), table.verticalHeader()):
            header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            header.setSectionsClickable(False)
            header.setHighlightSections(False)
        table.horizontalHeader().setMinimumSectionSize(
            self.fontMetrics().horizontalAdvance("100 %") + 10
        )
        table.verticalHeader().setMinimumSectionSize(self._row_height())
        table.setMinimumHeight(3 * self._row_height())

    def _set_up_per_class(self) -> None:
        table = self.per_class
        table.setHorizontalHeaderLabels(PER_CLASS_HEADERS)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setTabKeyNavigation(False)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(self._row_height())
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.setMinimumHeight(3 * self._row_height())

    def _build_cells(self, classes: tuple[str, ...]) -> None:
        """Create the matrix's and the per-class table's cells for ``classes``."""
        k = len(classes)
        matrix = self.matrix
        matrix.clear()
        matrix.setRowCount(k)
        matrix.setColumnCount(k)
        bold = QFont(matrix.font())
        bold.setBold(True)
        for i, name in enumerate(classes):
            true_header = QTableWidgetItem(name)
            true_header.setToolTip(f"True class {name}")
            matrix.setVerticalHeaderItem(i, true_header)
            predicted_header = QTableWidgetItem(name)
            predicted_header.setToolTip(f"Predicted class {name}")
            matrix.setHorizontalHeaderItem(i, predicted_header)
            for j in range(k):
                item = read_only_item("")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if i == j:
                    item.setFont(bold)
                matrix.setItem(i, j, item)
        table = self.per_class
        table.setRowCount(k)
        for i, name in enumerate(classes):
            table.setItem(i, 0, read_only_item(name))
            for c in range(1, len(PER_CLASS_HEADERS)):
                table.setItem(i, c, read_only_item("", align_right=True))
        self._classes = classes
        self._fit_heights()

    # ----- public API ---------------------------------------------------------------------
    def show_state(self, state: ViewState | None) -> None:
        """Count ``state``'s classifier's predictions on the chosen split (None: an empty
        view saying why)."""
        self._state = state
        self._cache = {}
        if state is None or not is_classifier(state):
            self._shown = None
            self._empty.setText(NO_STATE if state is None else NOT_A_CLASSIFIER)
            self._stack.setCurrentWidget(self._empty)
            self.split_combo.setEnabled(False)
            self.show_combo.setEnabled(False)
            return
        self._offer_splits(state)
        classes = tuple(state.model.classes)
        if classes != self._classes:
            self._build_cells(classes)
        self._stack.setCurrentIndex(1)
        self._draw()

    def current_split(self) -> str:
        """The split chosen: "train", "val" or "test"."""
        return str(self.split_combo.currentData())

    def set_split(self, split: str) -> None:
        """Choose ``split`` ("train", "val" or "test"); ignored when it is not offered."""
        i = self.split_combo.findData(split)
        if i >= 0 and self._split_enabled(i):
            self.split_combo.setCurrentIndex(i)

    def show_mode(self) -> str:
        """What the cells show: "counts" or "share" (of the true class's rows)."""
        return str(self.show_combo.currentData())

    def shown(self) -> SplitConfusion | None:
        """The confusion shown (None when the view is empty)."""
        return self._shown

    def matrix_texts(self) -> list[list[str]]:
        """The matrix's cells as shown, row by row (rows: true class)."""
        m = self.matrix
        return [[_text(m.item(i, j)) for j in range(m.columnCount())] for i in range(m.rowCount())]

    def per_class_rows(self) -> list[list[str]]:
        """The per-class table as shown: class, precision, recall, F1, support."""
        t = self.per_class
        return [[_text(t.item(i, j)) for j in range(t.columnCount())] for i in range(t.rowCount())]

    # ----- updating -----------------------------------------------------------------------
    def _split_enabled(self, index: int) -> bool:
        model = self.split_combo.model()
        assert isinstance(model, QStandardItemModel)  # a QComboBox's own model
        item = model.item(index)
        return item is not None and item.isEnabled()

    def _offer_splits(self, state: ViewState) -> None:
        """Enable the splits the data has (validation may be missing); keep the choice."""
        combo = self.split_combo
        combo.setEnabled(True)
        self.show_combo.setEnabled(True)
        model = combo.model()
        assert isinstance(model, QStandardItemModel)
        with QSignalBlocker(combo):
            for i in range(combo.count()):
                part = getattr(state.dataset, str(combo.itemData(i)), None)
                item = model.item(i)
                assert item is not None
                item.setEnabled(part is not None and len(part) > 0)
            if not self._split_enabled(combo.currentIndex()):
                combo.setCurrentIndex(combo.findData("test"))

    def _confusion(self) -> SplitConfusion | None:
        """The chosen split's confusion, computed once per state."""
        split = self.current_split()
        if split not in self._cache and self._state is not None:
            self._cache[split] = split_confusion(self._state, split)
        return self._cache.get(split)

    def _draw(self) -> None:
        confusion = self._confusion()
        self._shown = confusion
        if confusion is None:  # (a split that has no rows is not offered; to be safe)
            self.summary.setText(f"No {SPLIT_LABELS[self.current_split()].lower()} rows.")
            self.notice.hide()
            self._clear_cells()
            return
        self.summary.setText(summary_text(confusion))
        self._draw_matrix(confusion)
        self._fill_per_class(confusion)
        bad = confusion.non_finite
        self.notice.setText(
            f"{bad:,} of {confusion.rows:,} rows get non-finite probabilities (diverged "
            "weights): the class they are counted as means nothing."
        )
        self.notice.setVisible(bad > 0)

    def _clear_cells(self) -> None:
        base = self.matrix.palette().color(QPalette.ColorRole.Base)
        for item in _items(self.matrix):
            item.setText("")
            item.setToolTip("")
            item.setBackground(base)
        for item in _items(self.per_class):
            if item.column() > 0:
                item.setText("")

    def _draw_matrix(self, confusion: SplitConfusion) -> None:
        """Each cell's text (count or row share), colour and tooltip."""
        counts, shares, support = confusion.metrics.confusion, confusion.shares(), confusion.support
        palette = self.matrix.palette()
        base = palette.color(QPalette.ColorRole.Base)
        quiet = palette.color(QPalette.ColorRole.PlaceholderText)
        counting = self.show_mode() == "counts"
        names = self._classes
        for item in _items(self.matrix):
            i, j = item.row(), item.column()
            n, share = int(counts[i, j]), float(shares[i, j])
            background = blend(base, RIGHT_COLOUR if i == j else WRONG_COLOUR, share)
            item.setText(f"{n:,}" if counting else format_share(share))
            item.setBackground(background)
            # Empty cells in the palette's quiet text colour: the counts that matter stand out.
            item.setForeground(quiet if n == 0 else text_colour(background))
            of = f"{share * 100:.1f} % of the {int(support[i]):,}" if support[i] else "of no"
            item.setToolTip(
                f"True {names[i]}, predicted {names[j]}: {n:,} rows ({of} rows of true {names[i]})"
            )

    def _fill_per_class(self, confusion: SplitConfusion) -> None:
        m, support = confusion.metrics, confusion.support
        for item in _items(self.per_class):
            i, c = item.row(), item.column()
            if c > 0:
                values = (m.precision[i], m.recall[i], m.f1[i])
                item.setText(format_score(float(values[c - 1])) if c < 4 else f"{support[i]:,}")

    # ----- layout -------------------------------------------------------------------------
    def _fit_heights(self) -> None:
        """Give the matrix the height of its rows first (at least), the table the rest of
        what it needs, at least a third; until the user drags the handle."""
        # (From the splitter's height: in its resize event its sizes are still the old ones.)
        total = self._splitter.height() - self._splitter.handleWidth()
        if total <= 0 or self._user_sized:
            return
        header = self.matrix.horizontalHeader().sizeHint().height() + 2 * self.matrix.frameWidth()
        k = max(len(self._classes), 1)
        matrix_needs = header + k * self._row_height() + 2  # (a little slack: no scroll bar)
        table_needs = (
            self.per_class.horizontalHeader().sizeHint().height()
            + 2 * self.per_class.frameWidth()
            + k * self._row_height()
        )
        table = min(table_needs, max(total - matrix_needs, total // 3))
        self._splitter.setSizes([total - table, table])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """Share the splitter's height out again whenever it is resized."""
        if watched is self._splitter and event.type() == QEvent.Type.Resize:
            self._fit_heights()
        return super().eventFilter(watched, event)

    def _on_splitter_moved(self, *_: object) -> None:
        self._user_sized = True

    def _on_choice(self, *_: object) -> None:
        if self._state is not None and is_classifier(self._state):
            self._draw()


def _text(item: QTableWidgetItem | None) -> str:
    return "" if item is None else item.text()


def _items(table: QTableWidget) -> list[QTableWidgetItem]:
    """Every cell item of ``table`` (the view creates one per cell)."""
    found = (table.item(r, c) for r in range(table.rowCount()) for c in range(table.columnCount()))
    return [item for item in found if item is not None]


if __name__ == "__main__":
    from nngui.core.model import Model
    from nngui.core.network import LayerSpec
    from nngui.core.playground_source import PlaygroundSpec, make_playground_dataset
    from nngui.core.setup import start_on
    from nngui.core.training import TrainConfig, Trainer

    def _make() -> ConfusionView:
        # A spiral classifier trained briefly (a fraction of a second).
        data = make_playground_dataset(PlaygroundSpec(dataset="spiral", points=300))
        layers = [LayerSpec(8, "tanh"), LayerSpec(8, "tanh"), LayerSpec(1, "sigmoid")]
        data, net = start_on(data, layers)
        Trainer(net, data, TrainConfig(optimizer="adam", lr=0.03, epochs=200)).run()
        view = ConfusionView()
        view.show_state(ViewState(Model.from_dataset(net.copy(), data), data, 200))
        view.resize(600, 476)
        return view

    run_preview(_make, "Confusion view preview")
