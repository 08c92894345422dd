"""The Network view: the network diagram, its legend and a line saying what the mouse is on.

The diagram itself (painting, hit tests, selection) is ``network_diagram.NetworkDiagram``; this
view feeds it the snapshots and explains it.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from nngui.core.network import Network
from nngui.gui.views import diagram_layout as dl
from nngui.gui.views.base import View, ViewState
from nngui.gui.views.network_diagram import Colours, NetworkDiagram
from nngui.gui.widgets import describe, run_preview

HINT = "Hover a neuron or a line to read its value; click a neuron to highlight its weights."


def legend_html(colours: Colours) -> str:
    """The legend: colour is the sign, width the magnitude, fill the bias, on one scale."""
    pos, neg = colours.positive.name(), colours.negative.name()
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
        layout = QVBoxLayout(self)
        self._diagram = describe(
            NetworkDiagram(max_per_column), "Network diagram",
            "Every neuron and weight. Line colour = sign, width = magnitude; neuron fill = "
            "bias, on the same scale as the weights. Hover to read values; click a neuron to "
            "highlight its weights.",
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
        if state is None:
            self._epoch = None
            self._diagram.set_network(None, (), ())
        else:
            self._epoch = state.epoch
            model = state.model
            names = (tuple(model.input_names), tuple(model.output_names))
            self._diagram.set_network(state.network, *names)
        self._legend.setVisible(state is not None)
        self._update_info()

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
        self._legend.setText(legend_html(Colours.from_palette(self.palette())))

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
