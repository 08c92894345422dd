"""The Decision map view: a classifier's input plane coloured by the class it predicts.

Each cell of the plane (``core.decision_map``: a Playground set's own x1, x2 plane, else two
numeric inputs with the others held as in the Error map) takes the colour of its predicted
class, shaded by the probability: white where the classes are equally likely, the full colour
where the network is sure (``Discretize`` shows hard regions). Training points are drawn on top
in their true class's colour with a white rim, test points with a dark outline (a toggle), and
every point the network gets wrong is crossed out. The map follows training live: one forward
pass over the grid per refresh (bench/bench_views.py measures what it costs training).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QSignalBlocker
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QVBoxLayout, QWidget

from nngui.core.decision_map import (
    DecisionGrid,
    Plane,
    PointClasses,
    class_probabilities,
    decision_grid,
    input_plane,
    is_classifier,
    playground_plane,
    point_classes,
)
from nngui.core.playground_source import PLAYGROUND_CLASSES, PlaygroundSpec
from nngui.core.response_map import numeric_inputs
from nngui.gui.class_colours import class_colours
from nngui.gui.views.base import View, ViewState
from nngui.gui.views.heat_map import map_readout
from nngui.gui.widgets import FlowLayout, describe, hint_label

#: How strongly the surest cells take their class's colour (the points stay visible on it).
MAX_SHADE = 0.7
RESOLUTION = 80
HOVER_FPS = 30
NO_STATE = "No network yet: build a classifier and train it, and its decision map shows here."
NOT_A_CLASSIFIER = (
    "The decision map is for classifiers: choose a Playground set (circle, xor, gauss, "
    "spiral) or a CSV file with a label column in the Data tab."
)


def map_image(grid: DecisionGrid, colours: np.ndarray, discretize: bool = False) -> np.ndarray:
    """(n_y, n_x, 4) RGBA image of ``grid``: each cell its predicted class's colour over
    white, by how sure the network is (1/K: white, 1: MAX_SHADE of the colour; ``discretize``:
    MAX_SHADE everywhere); grey where the class is not known (non-finite weights)."""
    k = len(colours)
    predicted, confidence = grid.predicted, grid.confidence
    known = predicted >= 0
    if discretize:
        strength = np.where(known, 1.0, 0.0)
    else:
        with np.errstate(invalid="ignore"):
            strength = np.clip((np.nan_to_num(confidence) - 1.0 / k) / (1.0 - 1.0 / k), 0, 1)
    shade = (MAX_SHADE * strength)[..., None]
    colour = colours[np.where(known, predicted, 0)]
    rgb = 255.0 * (1.0 - shade) + colour * shade
    rgb[~known] = 160.0
    image = np.empty((*predicted.shape, 4), dtype=np.uint8)
    image[..., :3] = np.rint(rgb)
    image[..., 3] = 255
    return image


class DecisionMapView(View):
    """A classifier's decision map with its points (see the module docstring)."""

    title = "Decision map"
    live_rate = 4.0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state: ViewState | None = None
        self._plane: Plane | None = None
        self._plane_key: object = None
        self._grid: DecisionGrid | None = None
        self._points: dict[str, PointClasses] = {}
        self._held: np.ndarray | None = None
        self._colours = class_colours(PLAYGROUND_CLASSES)
        self._dots_key: object = None  # the plane and toggle the dots were drawn for
        self._labelled: Plane | None = None  # the plane the axes are labelled for
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        self.summary = describe(
            hint_label(warning=False), "Decision map summary",
            "How many points of each split the network classifies correctly.",
        )  # fmt: skip
        self.summary.setContentsMargins(6, 0, 6, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self._plot(), 1)
        self.readout = map_readout(
            "Decision map readout",
            "The point or the place under the mouse pointer: where it is, its class and the "
            "network's probabilities.",
        )
        layout.addWidget(self.readout)
        self.build_frame(self._toolbar(), content, NO_STATE)

    # ----- construction -------------------------------------------------------------------
    def _toolbar(self) -> FlowLayout:
        row = FlowLayout()
        row.setContentsMargins(6, 4, 6, 0)
        self.x_combo = describe(QComboBox(), "Decision map across", "The input along x.")
        self.y_combo = describe(QComboBox(), "Decision map up", "The input along y.")
        for combo in (self.x_combo, self.y_combo):
            combo.currentIndexChanged.connect(self._axes_changed)
        self._axis_groups = []
        for text, combo in (("Across:", self.x_combo), ("Up:", self.y_combo)):
            label = QLabel(text)
            label.setBuddy(combo)
            self._axis_groups.append(row.add_group(label, combo))
        self.discretize = describe(
            QCheckBox("Discreti&ze"), "Discretize",
            "Show hard class regions instead of shading each place by how sure the network is.",
        )  # fmt: skip
        self.show_test = describe(
            QCheckBox("Test points"), "Show test points",
            "Draw the test points (outlined) over the training points.",
        )  # fmt: skip
        self.show_test.setChecked(True)
        self.mark_wrong = describe(
            QCheckBox("Mark mistakes"), "Mark misclassified points",
            "Cross out every point drawn whose predicted class is not its true class.",
        )  # fmt: skip
        self.mark_wrong.setChecked(True)
        self.discretize.toggled.connect(lambda _on: self._draw_image())
        for check in (self.show_test, self.mark_wrong):
            check.toggled.connect(lambda _on: self._draw_points())
        for check in (self.discretize, self.show_test, self.mark_wrong):
            row.add_group(check)
        self.legend = describe(QLabel(), "Decision map legend", "The colour of each class.")
        row.add_group(self.legend)
        return row

    def _plot(self) -> pg.PlotWidget:
        palette = self.palette()
        self.plot_widget = pg.PlotWidget(background=palette.color(QPalette.ColorRole.Base))
        describe(
            self.plot_widget, "Decision map",
            "The plane coloured by the predicted class, paler where the network is less sure; "
            "dots are points in their true class's colour (outlined: test points, crossed: "
            "misclassified). Drag to pan, wheel to zoom.",
        )  # fmt: skip
        self.plot_item = self.plot_widget.getPlotItem()
        text = palette.color(QPalette.ColorRole.Text)
        for axis in ("left", "bottom"):
            self.plot_item.getAxis(axis).setPen(text)
            self.plot_item.getAxis(axis).setTextPen(text)
        self.plot_item.setAspectLocked(False)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.plot_item.addItem(self.image)
        self.train_dots = pg.ScatterPlotItem(size=7, pen=pg.mkPen("w", width=1))
        self.test_dots = pg.ScatterPlotItem(size=8, pen=pg.mkPen("#202020", width=1.6))
        self.wrong_marks = pg.ScatterPlotItem(
            size=11, symbol="x", pen=pg.mkPen("#202020", width=1), brush=pg.mkBrush("#d00000")
        )
        for item in (self.train_dots, self.test_dots, self.wrong_marks):
            self.plot_item.addItem(item)
        self._proxy = pg.SignalProxy(
            self.plot_widget.scene().sigMouseMoved, rateLimit=HOVER_FPS, slot=self._on_mouse_moved
        )
        return self.plot_widget

    # ----- public API ---------------------------------------------------------------------
    def show_state(self, state: ViewState | None) -> None:
        """Map ``state``'s classifier (or say why there is nothing to map)."""
        self._state = state
        why = self._unusable(state)
        if why:
            self._grid, self._plane, self._plane_key, self._points = None, None, None, {}
            self._empty.setText(why)
            self._stack.setCurrentIndex(0)
            return
        assert state is not None
        self._set_axes(state)
        self._stack.setCurrentIndex(1)
        self._compute()

    def set_held(self, values: np.ndarray | None) -> None:
        """Hold the inputs that are not axes at ``values`` (None: the training medians);
        a Playground set's plane holds nothing."""
        values = None if values is None else np.asarray(values, dtype=np.float64)
        if values is None and self._held is None:
            return
        if values is not None and self._held is not None and np.array_equal(values, self._held):
            return
        self._held = values
        if self._state is not None and not isinstance(self._state.dataset.spec, PlaygroundSpec):
            self._plane_key = None
            self.show_state(self._state)

    @property
    def grid(self) -> DecisionGrid | None:
        """The grid shown (None when nothing is)."""
        return self._grid

    @property
    def plane(self) -> Plane | None:
        """The plane shown (None when nothing is)."""
        return self._plane

    def image_data(self) -> np.ndarray | None:
        """The RGBA image shown (rows: y from the bottom), or None."""
        data = self.image.image
        return None if data is None else np.asarray(data)

    def points(self, split: str) -> PointClasses | None:
        """The points of ``split`` ("train", "val", "test") with their classes, if mapped."""
        return self._points.get(split)

    # ----- computing and drawing ----------------------------------------------------------
    @staticmethod
    def _unusable(state: ViewState | None) -> str:
        if state is None:
            return NO_STATE
        if not is_classifier(state.model):
            return NOT_A_CLASSIFIER
        if isinstance(state.dataset.spec, PlaygroundSpec):
            return ""
        n = len(numeric_inputs(state.model))
        if n < 2:
            return (
                f"The decision map needs two numeric inputs as axes; this classifier has {n} "
                "(categories are no axis)."
            )
        return ""

    def _set_axes(self, state: ViewState) -> None:
        playground = isinstance(state.dataset.spec, PlaygroundSpec)
        for group in self._axis_groups:
            group.setVisible(not playground)
        if playground:
            return
        numeric = numeric_inputs(state.model)
        items = [(state.model.input_names[i], i) for i in numeric]
        for combo, default in ((self.x_combo, 0), (self.y_combo, 1)):
            if [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())] == items:
                continue
            current = combo.currentText()
            texts = [t for t, _ in items]
            with QSignalBlocker(combo):
                combo.clear()
                for text, data in items:
                    combo.addItem(text, data)
                combo.setCurrentIndex(texts.index(current) if current in texts else default)
        if self.x_combo.currentData() == self.y_combo.currentData():
            with QSignalBlocker(self.y_combo):
                self.y_combo.setCurrentIndex(1 if self.x_combo.currentIndex() == 0 else 0)

    def _current_plane(self, state: ViewState) -> Plane:
        """The plane of the state's data and the chosen axes (made again only when they or
        the data changed: a Playground set's points are drawn once per data set)."""
        spec = state.dataset.spec
        axes = (self.x_combo.currentData(), self.y_combo.currentData())
        key = (id(state.dataset), spec, axes)
        if self._plane is None or key != self._plane_key:
            if isinstance(spec, PlaygroundSpec):
                self._plane = playground_plane(state.dataset)
            else:
                axes_int = (int(axes[0]), int(axes[1]))
                self._plane = input_plane(state.model, state.dataset, axes_int, self._held)
            self._plane_key = key
        return self._plane

    def _compute(self) -> None:
        state = self._state
        if state is None:
            return
        plane = self._current_plane(state)
        self._colours = class_colours(state.model.classes)
        self._grid = decision_grid(state.model, plane, RESOLUTION)
        self._points = {
            split: point_classes(state.model, state.dataset, plane, split)
            for split in ("train", "test")
        }
        self._draw_image()
        self._draw_points()
        self._show_summary()
        if self._labelled is not plane:  # (a new label lays the axes out again: costly)
            self._labelled = plane
            self._show_legend(state.model.classes)
            self.plot_item.setLabel("bottom", plane.names[0])
            self.plot_item.setLabel("left", plane.names[1])

    def _draw_image(self) -> None:
        grid = self._grid
        if grid is None:
            return
        image = map_image(grid, self._colours, self.discretize.isChecked())
        self.image.setImage(image, autoLevels=False, levels=(0, 255))
        self.image.setRect(*grid.rect)

    def _draw_points(self) -> None:
        """The points in their true classes' colours (drawn again only when the plane or the
        test toggle changed: training moves none of them), then the mistakes of now."""
        drawn = [p for s, p in self._points.items() if s == "train" or self.show_test.isChecked()]
        key = (self._plane, self.show_test.isChecked())
        if key != self._dots_key:
            self._dots_key = key
            brushes = [pg.mkBrush(*c) for c in self._colours]
            for split, dots in (("train", self.train_dots), ("test", self.test_dots)):
                part = self._points.get(split)
                if part is None or (split == "test" and not self.show_test.isChecked()):
                    dots.setData([], [])
                    continue
                dots.setData(
                    x=part.points[:, 0], y=part.points[:, 1],
                    brush=[brushes[t] for t in part.true],
                )  # fmt: skip
        if self.mark_wrong.isChecked() and drawn:
            wrong = np.concatenate([p.points[p.wrong] for p in drawn])
            self.wrong_marks.setData(x=wrong[:, 0], y=wrong[:, 1])
        else:
            self.wrong_marks.setData([], [])

    def _show_legend(self, classes: Sequence[str]) -> None:
        swatches = " ".join(
            f'<span style="color:rgb({int(r)},{int(g)},{int(b)})">■</span>&nbsp;{name}'
            for name, (r, g, b) in zip(classes, self._colours, strict=True)
        )
        self.legend.setText(swatches)

    def _show_summary(self) -> None:
        parts = []
        for split, name in (("train", "training"), ("test", "test")):
            p = self._points.get(split)
            if p is not None and len(p.true):
                right = int((~p.wrong).sum())
                parts.append(
                    f"{name} {right:,} of {len(p.true):,} right ({right / len(p.true):.1%})"
                )
        self.summary.setText("Classified: " + " · ".join(parts) if parts else "")

    def _axes_changed(self, *_: object) -> None:
        """Another input along x or y: map the plane of the two (the other one moves when
        both would be the same input)."""
        if self._state is None or self._grid is None:
            return
        if self.x_combo.currentData() == self.y_combo.currentData():
            other = self.y_combo if self.sender() is self.x_combo else self.x_combo
            with QSignalBlocker(other):
                other.setCurrentIndex(1 if other.currentIndex() == 0 else 0)
        self._compute()

    # ----- hovering -----------------------------------------------------------------------
    def _on_mouse_moved(self, event: tuple[QPointF]) -> None:
        if self._grid is None:
            return
        pos = event[0]
        vb = self.plot_item.getViewBox()
        if not vb.sceneBoundingRect().contains(pos):
            return
        point = vb.mapSceneToView(pos)
        self.readout.setText(self.readout_at(point.x(), point.y()))

    def readout_at(self, x: float, y: float) -> str:
        """What the readout says at (x, y) of the plane: the place and its probabilities."""
        state, plane = self._state, self._plane
        if state is None or plane is None:
            return ""
        p = class_probabilities(state.model, plane.to_inputs(np.array([[x, y]])))[0]
        where = f"{plane.names[0]} = {x:.4g}, {plane.names[1]} = {y:.4g}"
        if not np.isfinite(p).all():
            return f"{where} · no class (the weights are not finite)"
        classes = state.model.classes
        best = int(np.argmax(p))
        probs = ", ".join(f"p({c}) = {v:.3f}" for c, v in zip(classes, p, strict=True))
        return f"{where} · class {classes[best]} · {probs}"


if __name__ == "__main__":
    from nngui.core.model import Model
    from nngui.core.presets import PRESETS
    from nngui.core.setup import fresh_start
    from nngui.core.training import Trainer
    from nngui.gui.widgets import run_preview

    def _make() -> DecisionMapView:
        preset = PRESETS["Playground: spiral"]
        t = preset.training
        ds, net = fresh_start(preset.data, preset.layers, t.init, t.dtype)
        Trainer(net, ds, t).run(epochs=300, time_limit=0)
        view = DecisionMapView()
        view.resize(760, 560)
        view.show_state(ViewState(Model.from_dataset(net.copy(), ds), ds, epoch=300))
        return view

    run_preview(_make, "Decision map preview")
