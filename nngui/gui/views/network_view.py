"""The Network view: the network diagram, its legend and a line saying what the mouse is on.

The diagram itself (painting, hit tests, selection) is ``network_diagram.NetworkDiagram``; this
view feeds it the snapshots and explains it. The "Neuron maps" toggle draws every neuron as a
thumbnail of its activation over the input plane (``core.neuron_maps``: a Playground set's x1,
x2 plane, else the first two numeric inputs with the others held at their training medians),
as TensorFlow Playground does. It starts on for networks of two or more inputs and at most
``MAX_MAP_NEURONS`` neurons after the input, off (but available) for bigger ones, and is
unavailable, saying why, when there is no plane to draw. Each refresh costs one forward pass of
the ``MAP_RESOLUTION``² grid (whose inputs are built once per data set) and one small image per
drawn neuron.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from nngui.core.data import Dataset
from nngui.core.network import Network
from nngui.core.neuron_maps import NeuronGrid, grid_activations, neuron_grid
from nngui.core.scaling import Scaler
from nngui.gui.views import diagram_layout as dl
from nngui.gui.views.base import View, ViewState
from nngui.gui.views.network_diagram import Colours, NetworkDiagram
from nngui.gui.widgets import FlowLayout, describe, run_preview

HINT = "Hover a neuron or a line to read its value; click a neuron to highlight its weights."
#: Neuron maps start on for networks of at most this many neurons after the input.
MAX_MAP_NEURONS = 100  # (the Playground presets' 32-32-1 has 65)
#: Grid points per side of a neuron's map.
MAP_RESOLUTION = 28
MAPS_TIP = (
    "Draw every neuron as a small map of its activation over the input plane (blue above "
    "the activation's midpoint, orange below, each neuron on its own scale); hover one to "
    "see it bigger with its range."
)
NO_NETWORK = "Neuron maps: no network to draw yet."
TOO_FEW_INPUTS = (
    "Neuron maps need a plane of two inputs to draw each neuron over; this network has {n}."
)
TOO_MANY = (
    "Off to start with: this network has {n} neurons after the input (maps start on for "
    f"up to {MAX_MAP_NEURONS}). Tick to draw them anyway."
)


def legend_html(colours: Colours, plane: tuple[str, str] | None = None) -> str:
    """The legend: colour is the sign, width the magnitude, fill the bias, on one scale; with
    neuron maps over ``plane`` (the axes' names), what a neuron's map shows instead."""
    pos, neg = colours.positive.name(), colours.negative.name()
    if plane is not None:
        return (
            f'<span style="color:{pos}">━━</span> positive &nbsp;'
            f'<span style="color:{neg}">━━</span> negative weight, width ∝ |weight| (the '
            "largest |weight| or |bias| is the widest) &nbsp;·&nbsp; each neuron is a map of "
            "its activation over the plane "
            f"({plane[0]} across, {plane[1]} up): "
            f'<span style="color:{pos}">■</span> above, '
            f'<span style="color:{neg}">■</span> below its midpoint (0; 0.5 for sigmoid), '
            "deeper = further, on the neuron's own scale &nbsp;·&nbsp; hover it for its range"
        )
    return (
        f'<span style="color:{pos}">━━</span> positive &nbsp;'
        f'<span style="color:{neg}">━━</span> negative weight &nbsp;·&nbsp; '
        "width ∝ |weight| &nbsp;·&nbsp; "
        f'neuron fill = bias (<span style="color:{pos}">●</span> +, '
        f'<span style="color:{neg}">●</span> −, deeper = larger) &nbsp;·&nbsp; '
        "one scale: the largest |weight| or |bias| is the widest and deepest"
    )


class NetworkView(View):
    """The network as a diagram of neurons and weights (see the module docstring)."""

    title = "Network"

    def __init__(
        self, parent: QWidget | None = None, max_per_column: int = dl.MAX_PER_COLUMN
    ) -> None:
        super().__init__(parent)
        self._epoch: int | None = None
        self._grid: NeuronGrid | None = None
        self._grid_key: tuple[Dataset, Scaler, tuple[str, ...]] | None = None
        self._grid_error = ""
        self._state: ViewState | None = None
        self._architecture: tuple[int, ...] = ()
        #: The user's own choice of the maps toggle for the architecture shown (None: default).
        self._chosen: bool | None = None
        layout = QVBoxLayout(self)
        toolbar = FlowLayout()
        toolbar.setContentsMargins(6, 0, 6, 0)
        self.maps_toggle = describe(QCheckBox("Neuron maps"), "Neuron maps", MAPS_TIP)
        self.maps_toggle.toggled.connect(self._maps_toggled)
        self.maps_toggle.clicked.connect(self._maps_chosen)
        toolbar.addWidget(self.maps_toggle)
        layout.addLayout(toolbar)
        self._diagram = describe(
            NetworkDiagram(max_per_column), "Network diagram",
            "Every neuron and weight. Line colour = sign, width = magnitude; neuron fill = "
            "bias, on the same scale as the weights (with Neuron maps, a map of its activation "
            "over the input plane instead: hover it to see it bigger). Hover to read values; "
            "click a neuron to highlight its weights.",
        )  # fmt: skip
        layout.addWidget(self._diagram, 1)
        self._legend = describe(
            QLabel(), "Legend", "How to read the diagram: colours, widths and fills."
        )
        self._legend.setWordWrap(True)
        layout.addWidget(self._legend)
        self._info = describe(
            QLabel(), "Diagram info", "The value under the mouse, or what the highlight shows."
        )
        self._info.setWordWrap(True)
        self._info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self._info)
        self._diagram.hovered.connect(self._update_info)
        self._diagram.selection_changed.connect(self._update_info)
        self._update_legend()
        self.show_state(None)

    def show_state(self, state: ViewState | None) -> None:
        """Draw ``state``'s network (None: clear the diagram and say why it is empty)."""
        self._state = state
        if state is None:
            self._epoch = None
            self._diagram.set_network(None, (), ())
        else:
            self._epoch = state.epoch
            model = state.model
            names = (tuple(model.input_names), tuple(model.output_names))
            self._diagram.set_network(state.network, *names)
        self._update_toggle(state)
        self._update_maps()
        self._legend.setVisible(state is not None)
        self._update_legend()
        self._update_info()

    def maps_reason(self) -> str:
        """Why the neuron maps are off or unavailable ("" when they are available and on by
        default): the toggle's tooltip says it too."""
        toggle = self.maps_toggle
        return "" if toggle.toolTip() == MAPS_TIP else toggle.toolTip()

    # ----- neuron maps --------------------------------------------------------------------
    def _update_toggle(self, state: ViewState | None) -> None:
        """Enable the toggle where a plane can be drawn; default it on for small networks
        (the user's own choice stands until the architecture changes)."""
        reason, available, default = self._maps_availability(state)
        toggle = self.maps_toggle
        architecture = () if state is None else tuple(state.network.sizes)
        if architecture != self._architecture:
            self._architecture, self._chosen = architecture, None
        checked = available and (default if self._chosen is None else self._chosen)
        toggle.setEnabled(available)
        toggle.setToolTip(reason or MAPS_TIP)
        if toggle.isChecked() != checked:
            toggle.blockSignals(True)
            toggle.setChecked(checked)
            toggle.blockSignals(False)

    def _maps_availability(self, state: ViewState | None) -> tuple[str, bool, bool]:
        """(why they are off or not available — "" when on by default —, available, on by
        default) for ``state``; builds the grid once per data set and scaler."""
        if state is None:
            self._grid, self._grid_key = None, None
            return NO_NETWORK, False, False
        net = state.network
        if net.n_inputs < 2:
            self._grid, self._grid_key = None, None
            return TOO_FEW_INPUTS.format(n=net.n_inputs), False, False
        key = (state.dataset, state.model.x_scaler, tuple(state.model.input_names))
        old = self._grid_key
        if old is None or key[0] is not old[0] or key[1] is not old[1] or key[2] != old[2]:
            self._grid_key = key
            try:
                self._grid = neuron_grid(state.model, state.dataset, resolution=MAP_RESOLUTION)
                self._grid_error = ""
            except ValueError as exc:
                self._grid, self._grid_error = None, f"Neuron maps are not available: {exc}."
        if self._grid is None:
            return self._grid_error, False, False
        neurons = sum(layer.units for layer in net.layers)
        if neurons > MAX_MAP_NEURONS:
            return TOO_MANY.format(n=neurons), True, False
        return "", True, True

    def _maps_chosen(self, checked: bool) -> None:
        self._chosen = checked

    def _maps_toggled(self, checked: bool) -> None:
        self._update_maps()
        self._update_legend()

    def _update_maps(self) -> None:
        """One forward pass of the grid for the maps, when they are on."""
        state, grid = self._state, self._grid
        if state is None or grid is None or not self.maps_toggle.isChecked():
            self._diagram.set_maps(None)
            return
        self._diagram.set_maps(grid_activations(state.network, grid))

    def diagram(self) -> NetworkDiagram:
        """The painted diagram (for hit tests, styles and selection)."""
        return self._diagram

    def info_text(self) -> str:
        """The info line under the diagram."""
        return self._info.text()

    def _update_info(self) -> None:
        d = self._diagram
        if self._epoch is None:  # the diagram itself says why it is empty
            text = ""
        else:
            text = d.hover_text() or d.selection_text() or f"Epoch {self._epoch:,}. {HINT}"
        self._info.setText(text)
        self._info.setVisible(bool(text))

    def _update_legend(self) -> None:
        plane = self._grid.names if self._grid is not None and self._diagram.maps_shown() else None
        self._legend.setText(legend_html(Colours.from_palette(self.palette()), plane))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.PaletteChange:
            self._update_legend()
        super().changeEvent(event)


def _preview_state() -> ViewState:
    """The article's network after a few hundred epochs, as a ViewState."""
    from nngui.core.data import DataSpec, make_dataset
    from nngui.core.model import Model
    from nngui.core.network import seed_layers
    from nngui.core.training import TrainConfig, Trainer

    spec = DataSpec()
    rng = np.random.RandomState(spec.seed)
    ds = make_dataset(spec, rng)
    net = Network.initialise(ds.n_inputs, seed_layers(ds.n_outputs), rng)
    trainer = Trainer(net, ds, TrainConfig(epochs=300))
    trainer.run()
    return ViewState(Model.from_dataset(net.copy(), ds), ds, trainer.history.epochs)


if __name__ == "__main__":

    def _make() -> NetworkView:
        view = NetworkView()
        view.resize(860, 560)
        view.show_state(_preview_state())
        return view

    run_preview(_make, "Network view preview")
