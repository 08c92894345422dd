"""The layer builder: edit the hidden layers, the output activation and the initialisation.

The builder binds to a Workbench: every edit is a workbench edit, named and undoable from the
Edit menu or the builder's own Undo and Redo buttons; consecutive edits of one layer's units,
in one visit to its box, merge into one step (typing "64" is one undo, not two). The widgets
mirror the workbench's settings (hidden layers, output activation, initialisation, and the
inputs, outputs and training samples its data gives) with their signals blocked, so showing a
change never feeds back into a new edit.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable, Hashable, Iterator

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nngui.core.activations import ACTIVATIONS
from nngui.core.data import INPUT_NAMES, DataSpec
from nngui.core.network import MAX_LAYERS, MAX_UNITS, LayerSpec, count_parameters
from nngui.gui.data_errors import refusing_unreadable
from nngui.gui.undo_stack import QtCommandStack
from nngui.gui.widgets import describe, hint_label, int_spin, run_preview
from nngui.workbench import Settings, Workbench
from nngui.workbench.session import Session

MAX_HIDDEN = MAX_LAYERS - 1  # the output layer counts among the network's layers
NEW_LAYER = LayerSpec(4, "relu")  # the article's hidden layer
INIT_LABELS = {"he": "He (the article's)", "xavier": "Xavier / Glorot"}
OVERFIT_WARNING = (
    "More parameters than training samples: the network will overfit (the article's rule)"
)


class LayerBuilder(QWidget):
    """Edit the layers after the input: hidden layers, output activation, initialisation."""

    #: The layers or initialisation changed (a user edit, an undo or redo, a preset …).
    changed = Signal()

    def __init__(self, workbench: Workbench | None = None, parent: QWidget | None = None) -> None:
        """``workbench``: the settings to edit; None makes the builder its own (previews)."""
        super().__init__(parent)
        self.workbench = workbench or Workbench(stack=QtCommandStack(self))
        self._hidden: list[LayerSpec] = []
        self._output, self._init = "linear", "he"
        self._n_inputs, self._input_names = len(INPUT_NAMES), list(INPUT_NAMES)
        self._output_names: list[str] = []
        self._output_units = 0
        self._classes: tuple[str, ...] = ()  # a classifier's: its output follows its task
        self._n_train = 0
        self._editable = True
        self._focus_session = 0
        self._select_next: tuple[int | None] | None = None  # the row an own edit selects
        self._build()
        self._mirror(self.workbench.settings)
        bindings = [
            self.workbench.subscribe(self._on_settings),
            self.workbench.subscribe_session(self._on_session),
            self.workbench.stack.subscribe(self._update_buttons),
        ]
        self.destroyed.connect(lambda *_: [unbind() for unbind in bindings])

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self._input_label = self._fixed_row("Input layer", "The inputs: fixed by the data.")
        layout.addWidget(self._input_label)
        layout.addWidget(self._make_table(), 1)
        self._empty_note = self._make_empty_note()
        layout.addLayout(self._make_buttons())
        layout.addLayout(self._make_form())
        self._arch = describe(QLabel(), "Architecture", "Units and activation of every layer.")
        self._arch.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._arch.setWordWrap(True)
        font = QFont(self._arch.font())
        font.setBold(True)
        self._arch.setFont(font)
        self._params = describe(
            QLabel(), "Parameter count",
            "Weights and biases to learn: the sum over layers of (inputs + 1) × units.",
        )  # fmt: skip
        self._warning = describe(
            hint_label(OVERFIT_WARNING), "Overfitting warning",
            "The article's rule of thumb: keep fewer parameters than training samples.",
        )  # fmt: skip
        # Hidden, the warning keeps its place: the table above would otherwise grow and shrink
        # with it and move every button as the parameter count crosses the training samples.
        policy = self._warning.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self._warning.setSizePolicy(policy)
        for w in (self._arch, self._params, self._warning):
            layout.addWidget(w)

    @staticmethod
    def _fixed_row(name: str, tip: str) -> QLabel:
        """A framed label standing for a layer the data fixes (input or output)."""
        label = describe(QLabel(), name, tip)
        label.setFrameShape(QFrame.Shape.StyledPanel)
        label.setMargin(3)
        label.setWordWrap(True)
        return label

    def _make_table(self) -> QTableWidget:
        table = QTableWidget(0, 2)
        describe(table, "Hidden layers", "The hidden layers, input side first. Select a row to "
                 "insert before it, remove, move or duplicate it.")  # fmt: skip
        table.setHorizontalHeaderLabels(["Units", "Activation"])
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setTabKeyNavigation(False)  # Tab goes on to the row editors, not cell to cell
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 14)
        table.setMinimumHeight(5 * table.verticalHeader().defaultSectionSize())
        table.setMinimumWidth(240)
        table.itemSelectionChanged.connect(self._update_buttons)
        self._table = table
        return table

    def _make_empty_note(self) -> QLabel:
        """The "no hidden layers" note, drawn over the empty table so it moves nothing."""
        viewport = self._table.viewport()
        note = hint_label(
            "No hidden layers: the network is a linear model of the inputs.", warning=False
        )
        note.setAccessibleName("No hidden layers note")
        note.setParent(viewport)
        note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        note.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        note.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        viewport.installEventFilter(self)
        return note

    def _tool(self, text: str, tip: str, slot: object) -> QToolButton:
        button = describe(QToolButton(), text.replace("&", ""), tip)
        button.setText(text)
        button.clicked.connect(slot)
        return button

    def _make_buttons(self) -> QVBoxLayout:
        self._add = self._tool("&Add", "Append a hidden layer next to the output.", self._on_add)
        self._insert = self._tool(
            "&Insert", "Insert a hidden layer before the selected one.", self._on_insert
        )
        self._duplicate = self._tool(
            "Du&plicate", "Copy the selected layer just after it.", self._on_duplicate
        )
        self._remove = self._tool("&Remove", "Delete the selected layer.", self._on_remove)
        self._up = self._tool("&Move up", "Move the selected layer towards the input.", self._on_up)
        self._down = self._tool(
            "Move do&wn", "Move the selected layer towards the output.", self._on_down
        )
        self._undo = self._tool("Undo", "Undo the last edit (Ctrl+Z).", self._on_undo)
        self._redo = self._tool("Redo", "Redo the last undone edit (Ctrl+Shift+Z).", self._on_redo)
        rows = QVBoxLayout()
        for group in (
            (self._add, self._insert, self._duplicate, self._remove),
            (self._up, self._down, None, self._undo, self._redo),
        ):
            row = QHBoxLayout()
            for button in group:
                if button is None:
                    row.addStretch(1)
                else:
                    row.addWidget(button)
            if None not in group:
                row.addStretch(1)
            rows.addLayout(row)
        return rows

    def _make_form(self) -> QFormLayout:
        form = QFormLayout()
        self._output_label = self._fixed_row("Output layer", "The outputs: fixed by the data.")
        form.addRow(self._output_label)
        self._output_combo = self._activation_combo(
            "Output activation", "Activation of the output layer; linear suits regression."
        )
        self._output_combo.activated.connect(self._on_output_chosen)
        form.addRow("Output a&ctivation:", self._output_combo)
        self._init_combo = describe(
            QComboBox(), "Initialisation",
            "How the starting weights are drawn: He scales by sqrt(2 / inputs) (for relu), "
            "Xavier by sqrt(1 / inputs) (for tanh, sigmoid).",
        )  # fmt: skip
        for name, label in INIT_LABELS.items():
            self._init_combo.addItem(label, name)
        self._init_combo.activated.connect(self._on_init_chosen)
        form.addRow("I&nitialisation:", self._init_combo)
        return form

    @staticmethod
    def _activation_combo(name: str, tip: str) -> QComboBox:
        combo = describe(QComboBox(), name, tip)
        for act in ACTIVATIONS.values():
            combo.addItem(act.name, act.name)
            combo.setItemData(combo.count() - 1, act.formula, Qt.ItemDataRole.ToolTipRole)
        return combo

    def _add_row_widgets(self, row: int) -> None:
        spin = int_spin(
            1, MAX_UNITS, 1, name=f"Units of hidden layer {row + 1}",
            tip=f"Number of units (neurons), 1 to {MAX_UNITS:,}.",
        )  # fmt: skip
        spin.setGroupSeparatorShown(False)
        spin.valueChanged.connect(lambda v, r=row: self._on_units(r, v))
        combo = self._activation_combo(
            f"Activation of hidden layer {row + 1}", "Activation applied after the weighted sum."
        )
        combo.activated.connect(lambda i, r=row, c=combo: self._on_activation(r, c.itemData(i)))
        for w in (spin, combo):
            w.setProperty("layer_row", row)
            w.installEventFilter(self)
        self._table.insertRow(row)
        self._table.setCellWidget(row, 0, spin)
        self._table.setCellWidget(row, 1, combo)

    # ----- public API ---------------------------------------------------------------------
    def hidden_layers(self) -> list[LayerSpec]:
        """The hidden layers, input side first."""
        return list(self._hidden)

    def output_activation(self) -> str:
        """Name of the output layer's activation."""
        return self._output

    def init_scheme(self) -> str:
        """Name of the initialisation scheme: "he" or "xavier"."""
        return self._init

    def layers(self) -> list[LayerSpec]:
        """Every layer after the input: the hidden layers, then the output layer."""
        return [*self._hidden, LayerSpec(self._output_units, self._output)]

    def set_editable(self, on: bool) -> None:
        """Allow or forbid edits (forbidden while training), undo and redo included."""
        self._editable = on
        self._table.setEnabled(on)
        self._output_combo.setEnabled(on and not self._classes)
        self._init_combo.setEnabled(on)
        self._update_buttons()

    def selected_row(self) -> int | None:
        """Index of the selected hidden layer, or None."""
        rows = self._table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def select_row(self, row: int | None) -> None:
        """Select hidden layer ``row`` (None clears the selection)."""
        if row is None or not 0 <= row < len(self._hidden):
            self._table.clearSelection()
        else:
            self._table.selectRow(row)

    def parameter_count(self) -> int:
        """Number of weights and biases of the current layers."""
        return count_parameters(self._n_inputs, self.layers())

    # ----- binding ------------------------------------------------------------------------
    def _on_settings(self, old: Settings, new: Settings) -> None:
        """Show the workbench's layers, initialisation, inputs, outputs and training samples."""
        if old.layers == new.layers and old.training.init == new.training.init:
            if old.data != new.data:
                self._mirror(new)
            return
        select, self._select_next = self._select_next, None
        row = self.selected_row() if select is None else select[0]
        self._mirror(new, min(row, len(new.hidden) - 1) if row is not None else None)
        self.changed.emit()

    def _on_session(self, old: Session | None, new: Session) -> None:
        """A CSV file's columns are known once its session is: show them."""
        if not isinstance(self.workbench.settings.data, DataSpec):
            self._mirror(self.workbench.settings, self.selected_row())

    def _mirror(self, settings: Settings, select: int | None = None) -> None:
        """Make the builder's state and widgets those of ``settings``; select row ``select``."""
        data = settings.data
        self._hidden = list(settings.hidden)
        self._output = settings.layers[-1].activation
        self._output_units = settings.layers[-1].units
        self._classes = ()
        self._init = settings.training.init
        if isinstance(data, DataSpec):
            self._n_inputs = len(data.ranges)
            self._input_names = list(INPUT_NAMES) if self._n_inputs == len(INPUT_NAMES) else []
            self._n_train = data.split_sizes()[0]
        else:  # a CSV file: its columns (one-hot categories included) are the session's
            session = self.workbench.session
            if session is not None and session.dataset.spec == data:
                ds = session.dataset
                self._n_inputs, self._input_names = ds.n_inputs, list(ds.input_names)
                self._n_train = len(ds.train)
                self._classes = ds.classes if ds.task == "classification" else ()
        self._output_names = list(data.targets)
        self._sync_table()
        self._sync_combos()
        self.select_row(select)
        self._refresh()

    def _push(
        self, hidden: list[LayerSpec], text: str, select: int | None,
        key: Hashable | None = None,
    ) -> None:  # fmt: skip
        """Ask the workbench for hidden layers ``hidden`` (named ``text``); select ``select``."""
        with self._selecting(select):
            self._edit(lambda: self.workbench.set_hidden(hidden, text, key))

    @contextlib.contextmanager
    def _selecting(self, row: int | None) -> Iterator[None]:
        """Select hidden row ``row`` once the edit made inside has been shown."""
        self._select_next = (row,)
        try:
            yield
        finally:
            self._select_next = None

    def _on_undo(self) -> None:
        if self._editable and self.workbench.stack.can_undo():
            self.workbench.stack.undo()

    def _on_redo(self) -> None:
        if self._editable and self.workbench.stack.can_redo():
            self.workbench.stack.redo()

    def _on_add(self) -> None:
        new = self._hidden[-1] if self._hidden else NEW_LAYER
        self._push([*self._hidden, new], "Add layer", len(self._hidden))

    def _on_insert(self) -> None:
        row = self.selected_row()
        if row is not None:
            layers = [*self._hidden[:row], self._hidden[row], *self._hidden[row:]]
            self._push(layers, f"Insert layer before layer {row + 1}", row)

    def _on_duplicate(self) -> None:
        row = self.selected_row()
        if row is not None:
            layers = [*self._hidden[: row + 1], self._hidden[row], *self._hidden[row + 1 :]]
            self._push(layers, f"Duplicate layer {row + 1}", row + 1)

    def _on_remove(self) -> None:
        row = self.selected_row()
        if row is not None:
            layers = self._hidden[:row] + self._hidden[row + 1 :]
            select = min(row, len(layers) - 1) if layers else None
            self._push(layers, f"Remove layer {row + 1}", select)

    def _move(self, step: int) -> None:
        row = self.selected_row()
        if row is None or not 0 <= row + step < len(self._hidden):
            return
        layers = list(self._hidden)
        layers[row], layers[row + step] = layers[row + step], layers[row]
        word = "up" if step < 0 else "down"
        self._push(layers, f"Move layer {row + 1} {word}", row + step)

    def _on_up(self) -> None:
        self._move(-1)

    def _on_down(self) -> None:
        self._move(+1)

    def _on_units(self, row: int, units: int) -> None:
        layers = list(self._hidden)
        layers[row] = LayerSpec(units, layers[row].activation)
        text = f"Set layer {row + 1} units to {units}"
        self._push(layers, text, row, ("units", row, self._focus_session))

    def _on_activation(self, row: int, name: str) -> None:
        if name != self._hidden[row].activation:
            layers = list(self._hidden)
            layers[row] = LayerSpec(layers[row].units, name)
            self._push(layers, f"Set layer {row + 1} activation to {name}", row)

    def _on_output_chosen(self, index: int) -> None:
        name = self._output_combo.itemData(index)
        if name != self._output:
            output = LayerSpec(self._output_units, name)
            with self._selecting(self.selected_row()):
                self._edit(
                    lambda: self.workbench.set_layers(
                        [*self._hidden, output], f"Set output activation to {name}"
                    )
                )

    def _on_init_chosen(self, index: int) -> None:
        name = self._init_combo.itemData(index)
        if name != self._init:
            with self._selecting(self.selected_row()):
                text = f"Set initialisation to {INIT_LABELS[name]}"
                self._edit(lambda: self.workbench.set_training(init=name, text=text))

    def _edit(self, edit: Callable[[], object]) -> None:
        """Make a workbench edit; when its data cannot be read, say why and show the layers
        as they still are."""
        if not refusing_unreadable(self, edit):
            self._mirror(self.workbench.settings, self.selected_row())

    # ----- mirroring ----------------------------------------------------------------------
    def _sync_table(self) -> None:
        """Make the rows show ``_hidden``, updating widgets in place (keeps focus while typing)."""
        table = self._table
        while table.rowCount() < len(self._hidden):
            self._add_row_widgets(table.rowCount())
        while table.rowCount() > len(self._hidden):
            table.removeRow(table.rowCount() - 1)
        for row, layer in enumerate(self._hidden):
            spin, combo = table.cellWidget(row, 0), table.cellWidget(row, 1)
            assert isinstance(spin, QSpinBox) and isinstance(combo, QComboBox)  # _add_row_widgets
            with QSignalBlocker(spin), QSignalBlocker(combo):
                if spin.value() != layer.units:
                    spin.setValue(layer.units)
                combo.setCurrentIndex(combo.findData(layer.activation))
        table.setVerticalHeaderLabels([f"Hidden {i + 1}" for i in range(len(self._hidden))])
        self._set_tab_order()

    def _set_tab_order(self) -> None:
        """Tab goes top to bottom: table, each row's units and activation, buttons, form.

        (Row editors are created after the buttons and the form, so Qt's default order, the
        order of creation, would visit them last.)
        """
        table = self._table
        chain: list[QWidget] = [table]
        for row in range(table.rowCount()):
            chain += [table.cellWidget(row, 0), table.cellWidget(row, 1)]
        chain += [self._add, self._insert, self._duplicate, self._remove, self._up, self._down]
        chain += [self._undo, self._redo, self._output_combo, self._init_combo]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _sync_combos(self) -> None:
        combo = self._output_combo
        with QSignalBlocker(combo), QSignalBlocker(self._init_combo):
            if combo.findData(self._output) < 0:  # softmax: shown for a classifier only
                combo.addItem(self._output, self._output)
            combo.setCurrentIndex(combo.findData(self._output))
            self._init_combo.setCurrentIndex(self._init_combo.findData(self._init))
        combo.setEnabled(self._editable and not self._classes)
        combo.setToolTip(
            "A classifier's output follows its task: one sigmoid unit for two classes, a "
            "softmax unit per class for more, trained with cross-entropy."
            if self._classes
            else "Activation of the output layer; linear suits regression."
        )

    def _refresh(self) -> None:
        """Update the input, output, architecture and parameter labels."""
        names = f" ({', '.join(self._input_names)})" if self._input_names else ""
        self._input_label.setText(f"Input: {self._n_inputs}{names}")
        outs = ", ".join(self._output_names)
        if self._classes:
            outs = f"{outs}: {' or '.join(self._classes)}"
            if len(self._classes) > 3:
                outs = f"{', '.join(self._output_names)}: {len(self._classes)} classes"
        self._output_label.setText(f"Output: {self._output_units} ({outs})")
        steps = [str(self._n_inputs)] + [f"{s.units} {s.activation}" for s in self.layers()]
        self._arch.setText(" → ".join(steps))
        n = self.parameter_count()
        self._params.setText(f"Parameters: {n:,} for {self._n_train:,} training samples")
        self._warning.setVisible(n >= self._n_train)
        self._empty_note.setVisible(not self._hidden)
        self._update_buttons()

    def _update_buttons(self) -> None:
        """Enable the buttons that make sense; Undo and Redo name the step they would take."""
        row, n, on = self.selected_row(), len(self._hidden), self._editable
        self._add.setEnabled(on and n < MAX_HIDDEN)
        self._insert.setEnabled(on and row is not None and n < MAX_HIDDEN)
        self._duplicate.setEnabled(on and row is not None and n < MAX_HIDDEN)
        self._remove.setEnabled(on and row is not None)
        self._up.setEnabled(on and row is not None and row > 0)
        self._down.setEnabled(on and row is not None and row < n - 1)
        stack = self.workbench.stack
        for button, word, ok, text, key in (
            (self._undo, "Undo", stack.can_undo(), stack.undo_text(), "Ctrl+Z"),
            (self._redo, "Redo", stack.can_redo(), stack.redo_text(), "Ctrl+Shift+Z"),
        ):
            button.setEnabled(on and ok)
            button.setToolTip(f"{word} {text} ({key})." if ok else f"Nothing to {word.lower()}.")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """Select a layer's row when one of its editors gets the keyboard focus.

        Also keep the "no hidden layers" note over the table's viewport as it resizes.
        """
        if event.type() == QEvent.Type.Resize and watched is self._table.viewport():
            self._empty_note.setGeometry(self._table.viewport().rect().adjusted(8, 8, -8, -8))
        elif event.type() == QEvent.Type.FocusIn:
            self._focus_session += 1  # units edits merge only within one visit to a box
            row = watched.property("layer_row")
            if isinstance(row, int) and row != self.selected_row():
                self.select_row(row)
        return super().eventFilter(watched, event)


if __name__ == "__main__":
    run_preview(LayerBuilder, "Layer builder preview")
