"""A person's journey with Playground's spiral: choose it, train until the decision map
changes, find the core's classes in its colours, save, start anew, open, the same map."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QFileDialog
from widget_actions import box, button, click, combo, named, type_into

from nngui.core.data import DataSpec
from nngui.core.decision_map import decision_grid, playground_plane
from nngui.core.network import LayerSpec
from nngui.gui.class_colours import class_colours
from nngui.gui.views.decision_map_view import RESOLUTION, map_image


def shown_map(window) -> np.ndarray:
    window.views.show_view(window.decision_map)
    image = window.decision_map.image_data()
    assert image is not None
    return image.copy()


def test_a_spiral_journey(main_window, answers, qtbot, monkeypatch, tmp_path):
    window = main_window
    window.resize(1024, 700)
    window.tabs.setCurrentIndex(0)
    source = combo(window.data_panel, "Data source")
    source.activated.emit(source.findData("playground"))
    sets = combo(window.data_panel, "Playground data set")
    sets.setCurrentIndex(sets.findData("spiral"))
    sets.activated.emit(sets.currentIndex())
    assert window.workbench.settings.data.dataset == "spiral"
    assert window.workbench.settings.layers[-1] == LayerSpec(1, "sigmoid")
    untrained = shown_map(window)
    # A network that can bend around the arms: the preset's, then train a few hundred epochs.
    window.tabs.setCurrentIndex(2)
    presets = combo(window.training_panel, "Preset")
    presets.setCurrentIndex(presets.findData("Playground: spiral"))
    click(qtbot, button(window.training_panel, "Apply preset"))
    type_into(qtbot, box(window.training_panel, "Epochs"), "400")
    click(qtbot, button(window.training_panel, "Train"))
    qtbot.waitUntil(lambda: window.state != "training", timeout=60_000)
    trained = shown_map(window)
    assert trained.shape == (RESOLUTION, RESOLUTION, 4)
    assert (trained != untrained).any(axis=2).mean() > 0.2, "the boundary moved"
    # Its colours are the core's classes of the network the window holds.
    model = window.current_model()
    plane = playground_plane(window.session.dataset)
    grid = decision_grid(model, plane, RESOLUTION)
    np.testing.assert_array_equal(trained, map_image(grid, class_colours(model.classes)))
    orange, blue = class_colours(("-1", "1"))
    for j, i in [(5, 5), (40, 40), (60, 20), (20, 70)]:
        p1 = model.predict(plane.to_inputs(np.array([[grid.x[i], grid.y[j]]])))[0, 0]
        colour = trained[j, i, :3].astype(float)
        nearer_blue = np.abs(colour - blue).sum() < np.abs(colour - orange).sum()
        assert nearer_blue == (p1 >= 0.5), (j, i, p1, colour)
    bar = window.predict_panel.probability_bar("-1")
    assert bar.palette().color(QPalette.ColorRole.Highlight) == QColor(*orange.astype(int))
    accuracy = model.evaluate(window.session.dataset)["test"]["accuracy"]
    assert accuracy > 0.9
    assert f"test accuracy {accuracy:.1%}" in window.status.metrics_label.text()
    # Save, start anew (a regression: no decision map tab), open: the same map.
    saved = tmp_path / "spiral.npz"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(saved), ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(saved), ""))
    window.files.save_as_action.trigger()
    assert saved.exists() and not window.isWindowModified()
    window.files.new_action.trigger()
    assert isinstance(window.workbench.settings.data, DataSpec)
    assert not window.views.isTabVisible(window.views.indexOf(window.decision_map))
    window.files.open_action.trigger()
    assert window.workbench.settings.data.dataset == "spiral"
    assert combo(window.data_panel, "Data source").currentData() == "playground"
    assert window.views.isTabVisible(window.views.indexOf(window.decision_map))
    np.testing.assert_array_equal(shown_map(window), trained)
    window.views.show_view(window.confusion)
    assert (
        named(window.confusion, "Confusion summary")
        .text()
        .startswith(f"Accuracy {100 * accuracy:.1f} %")
    )
