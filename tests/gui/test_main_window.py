"""MainWindow: the whole journey through real widgets, files, prompts, threads and the article.

Dialogs are patched: the static QFileDialog getters return chosen paths and the static
QMessageBox functions answer at once (and record that they were asked).
"""

from __future__ import annotations

import time
from itertools import pairwise

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QScrollBar,
    QTabBar,
    QWidget,
)
from widget_actions import box, button, click, combo, group, named, type_into

from nngui.core.model_file import load_model
from nngui.core.network import LayerSpec, seed_layers
from nngui.core.presets import ARTICLE, FAST
from nngui.gui import MainWindow
from nngui.gui.file_actions import recent_files
from nngui.gui.predict_panel import format_value


@pytest.fixture
def window(main_window):
    return main_window


def show_tab(window: MainWindow, index: int) -> None:
    window.tabs.setCurrentIndex(index)


def set_epochs(qtbot, window: MainWindow, epochs: int) -> None:
    show_tab(window, 2)
    type_into(qtbot, box(window.training_panel, "Epochs"), str(epochs))
    assert window.training_panel.config().epochs == epochs


def wait_state(qtbot, window: MainWindow, *states: str, timeout: int = 20_000) -> None:
    qtbot.waitUntil(lambda: window.state in states, timeout=timeout)


def params(window: MainWindow) -> list[np.ndarray]:
    return [p.copy() for p in window.session.network.params]


def patch_dialogs(monkeypatch, path) -> None:
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), "nngui model (*.npz)")
    )
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), "nngui model (*.npz)")
    )


def test_starts_with_the_articles_setup(window):
    assert window.layer_builder.layers() == list(ARTICLE.layers)
    assert window.data_panel.spec() == ARTICLE.data
    assert window.config() == ARTICLE.training
    assert window.state == "idle" and window.session.history.epochs == 0
    assert window.windowTitle() == "untitled[*] — nngui"
    assert not window.isWindowModified()
    assert window.windowIcon() is not None
    assert "No epochs" in window.status.metrics_label.text()


def test_article_preset_and_1000_epochs_reproduce_the_article(window, qtbot):
    show_tab(window, 2)
    click(qtbot, button(window.training_panel, "Train"))
    wait_state(qtbot, window, "finished")
    assert window.session.history.epochs == 1000
    metrics = window.current_model().evaluate(window.session.dataset)
    assert metrics["test"]["seed_loss"] == pytest.approx(0.56108, abs=1e-4)
    assert "test seed loss 0.56108" in window.status.metrics_label.text()
    assert window.isWindowModified()
    np.testing.assert_array_equal(
        window.loss_plot.data()["train"][1], window.session.history.train_loss.values
    )


def test_journey(window, answers, qtbot, monkeypatch, tmp_path):
    builder, panel = window.layer_builder, window.training_panel
    # Layers: add one, undo it, then widen the first hidden layer.
    show_tab(window, 1)
    click(qtbot, button(builder, "Add"))
    assert len(window.session.network.layers) == 4
    click(qtbot, button(builder, "Undo"))
    assert window.session.network.sizes == [2, 4, 4, 3]
    spin = box(builder, "Units of hidden layer 1")
    type_into(qtbot, spin, "8")
    assert window.session.network.sizes == [2, 8, 4, 3]
    # Data: another seed regenerates the data and the weights.
    show_tab(window, 0)
    before = params(window)
    type_into(qtbot, box(window.data_panel, "Seed"), "7")
    assert window.session.dataset.spec.seed == 7
    assert not np.array_equal(before[0], params(window)[0])
    # Train until the plot has points, pause, resume, stop.
    set_epochs(qtbot, window, 5_000_000)
    click(qtbot, button(panel, "Train"))
    assert window.state == "training"
    assert not group(window.data_panel, "Inputs").isEnabled()
    curve = window.loss_plot.curves["train"]
    qtbot.waitUntil(lambda: curve.xData is not None and len(curve.xData) > 5, timeout=10_000)
    assert not window.files.save_action.isEnabled(), "no saving while training"
    pause = button(panel, "Pause")  # named Resume while paused
    click(qtbot, pause)
    assert window.state == "paused" and pause.text() == "Resume"
    # Once the worker has really paused (every report delivered), saving is allowed.
    qtbot.waitUntil(window.files.save_action.isEnabled, timeout=10_000)
    paused_at = window.loss_plot.epochs
    qtbot.wait(100)
    assert window.loss_plot.epochs == paused_at
    click(qtbot, pause)
    assert window.state == "training"
    qtbot.waitUntil(lambda: window.loss_plot.epochs > paused_at + 10, timeout=10_000)
    click(qtbot, button(panel, "Stop"))
    wait_state(qtbot, window, "stopped")
    assert not window.run.running and window.session.outcome == "interrupted"
    trained = window.session.history.epochs
    assert trained > paused_at and window.loss_plot.epochs == trained
    assert "stopped" in window.status.state_label.text().lower()
    # Save through the patched dialog ('.npz' is appended).
    path = tmp_path / "journey.npz"
    patch_dialogs(monkeypatch, tmp_path / "journey")
    window.files.save_as_action.trigger()
    assert path.exists() and not window.isWindowModified()
    assert window.windowTitle() == "journey.npz[*] — nngui"
    assert recent_files() == [str(path)]
    weights, layers = params(window), window.session.network.layers
    history = window.session.history.arrays()
    # New: back to the article (nothing unsaved: no question).
    window.files.new_action.trigger()
    assert not answers.asked("question"), "saved: nothing to ask"
    assert window.session.network.sizes == [2, 4, 4, 3] and window.loss_plot.epochs == 0
    assert window.windowTitle() == "untitled[*] — nngui"
    # Open the saved file: same weights, layers, data, settings and history.
    patch_dialogs(monkeypatch, path)
    window.files.open_action.trigger()
    for a, b in zip(weights, params(window), strict=True):
        np.testing.assert_array_equal(a, b)
    assert window.session.network.layers == layers
    assert window.layer_builder.layers() == layers
    assert window.data_panel.spec().seed == 7
    assert window.config().epochs == 5_000_000
    for key, values in history.items():
        np.testing.assert_array_equal(window.session.history.arrays()[key], values)
    assert window.loss_plot.epochs == trained
    assert window.state == "stopped"
    # The predict panel shows exactly the core model's predictions.
    window.predict_panel.set_inputs([12.5, 80.0])
    model = load_model(path)
    expected = model.predict(np.array([12.5, 80.0]))[0]
    assert window.predict_panel.outputs_text() == [format_value(v) for v in expected]
    # Training continues where it stopped.
    set_epochs(qtbot, window, 20)
    click(qtbot, button(panel, "Train"))
    wait_state(qtbot, window, "finished")
    assert window.session.history.epochs == trained + 20


def test_broken_file_warns_and_changes_nothing(window, answers, tmp_path):
    bad = tmp_path / "broken.npz"
    bad.write_bytes(b"PK\x03\x04 definitely not a model")
    session, weights = window.session, params(window)
    assert not window.files.open_path(str(bad))
    assert len(answers.asked("warning")) == 1 and "broken.npz" in answers.asked("warning")[0]
    assert window.session is session
    for a, b in zip(weights, params(window), strict=True):
        np.testing.assert_array_equal(a, b)
    assert window.windowTitle() == "untitled[*] — nngui"


def test_save_error_is_reported(window, answers, monkeypatch, tmp_path):
    patch_dialogs(monkeypatch, tmp_path / "missing-folder" / "m.npz")
    assert not window.files.save_as()
    assert len(answers.asked("critical")) == 1


def test_unsaved_work_prompts_on_new(window, answers, qtbot):
    window.step()
    wait_state(qtbot, window, "finished")
    assert window.session.history.epochs == 1 and window.has_unsaved_work()
    answers.reply = QMessageBox.StandardButton.Cancel
    window.files.new_action.trigger()
    assert len(answers.asked("question")) == 1 and window.session.history.epochs == 1
    answers.reply = QMessageBox.StandardButton.Discard
    window.files.new_action.trigger()
    assert window.session.history.epochs == 0


def test_unsaved_work_save_answer_saves(window, answers, qtbot, monkeypatch, tmp_path):
    window.step()
    wait_state(qtbot, window, "finished")
    answers.reply = QMessageBox.StandardButton.Save
    patch_dialogs(monkeypatch, tmp_path / "kept.npz")
    window.files.new_action.trigger()
    assert load_model(tmp_path / "kept.npz").history.epochs == 1
    assert window.session.history.epochs == 0


def test_preset_applies_everywhere(window, qtbot):
    show_tab(window, 2)
    panel = window.training_panel
    preset = combo(panel, "Preset")
    preset.setCurrentIndex(preset.findData(FAST.name))
    click(qtbot, button(panel, "Apply preset"))
    assert window.layer_builder.layers() == list(FAST.layers)
    assert window.data_panel.spec() == FAST.data
    assert window.config() == FAST.training
    assert window.session.dataset.val is not None
    assert window.session.network.sizes == [2, *(layer.units for layer in FAST.layers)]
    assert window.session.network.dtype == np.dtype(FAST.training.dtype)


def test_step_trains_one_epoch(window, qtbot):
    show_tab(window, 2)
    click(qtbot, button(window.training_panel, "Step"))
    wait_state(qtbot, window, "finished")
    assert window.session.history.epochs == 1 and window.loss_plot.epochs == 1


def test_live_learning_rate_reaches_the_worker(window, qtbot):
    set_epochs(qtbot, window, 10_000_000)
    click(qtbot, button(window.training_panel, "Train"))
    type_into(qtbot, box(window.training_panel, "Learning rate"), "0.02")
    worker_lr = window.run.worker.controls.pending_learning_rate
    assert worker_lr in (0.02, None)  # None: already taken by the loop
    click(qtbot, button(window.training_panel, "Stop"))
    wait_state(qtbot, window, "stopped")
    assert window.session.config.lr == pytest.approx(0.02), "the run trained on with it"
    assert list(window.runs.runs)[-1].settings.training.lr == pytest.approx(0.02)


def test_closing_during_training_joins_the_thread(qtbot, answers, qtlog):
    w = MainWindow()
    w.show()
    set_epochs(qtbot, w, 10_000_000)
    w.train()
    thread = w.run.worker_thread
    qtbot.waitUntil(lambda: w.loss_plot.epochs > 0, timeout=10_000)
    assert w.close()
    assert not w.run.running and thread.isFinished()
    assert answers.asked("question"), "unsaved training: asked first"
    assert not [r for r in qtlog.records if "QThread" in r.message]
    w.deleteLater()
    qtbot.wait(10)


def test_cancel_close_keeps_training(window, answers, qtbot):
    set_epochs(qtbot, window, 10_000_000)
    window.train()
    qtbot.waitUntil(lambda: window.loss_plot.epochs > 0, timeout=10_000)
    window.setWindowModified(True)
    answers.reply = QMessageBox.StandardButton.Cancel
    assert not window.close()
    assert window.state == "training" and window.run.running


def test_drop_opens_a_model(window, qtbot, monkeypatch, tmp_path):
    window.step()
    wait_state(qtbot, window, "finished")
    patch_dialogs(monkeypatch, tmp_path / "dropped.npz")
    assert window.files.save_as()
    window.files.new_action.trigger()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "dropped.npz"))])
    event = QDropEvent(
        QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    window.dropEvent(event)
    assert window.session.history.epochs == 1
    assert named(window.training_panel, "Training progress", QProgressBar).text() == "epoch 1 / 1"
    assert window.windowFilePath() == str(tmp_path / "dropped.npz")


def test_recent_files_menu(window, qtbot, monkeypatch, tmp_path):
    window.step()
    wait_state(qtbot, window, "finished")
    patch_dialogs(monkeypatch, tmp_path / "recent.npz")
    assert window.files.save_as()
    window.files.new_action.trigger()
    window.files.recent_menu.aboutToShow.emit()  # as opening the menu does
    actions = [a for a in window.files.recent_menu.actions() if not a.isSeparator()]
    assert actions[0].text().endswith("recent.npz")
    actions[0].trigger()
    assert window.session.history.epochs == 1
    actions[-1].trigger()  # Clear Menu
    assert recent_files() == []


def test_geometry_is_remembered(qtbot, answers):
    first = MainWindow()
    qtbot.addWidget(first)
    first.show()
    first.resize(700, 520)
    first.close()
    assert QSettings().contains("main_window/geometry")
    second = MainWindow()
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (700, 520)


def test_ui_stays_responsive_while_a_big_network_trains(window, qtbot):
    """The event loop keeps turning while the worker trains (it trains in its own thread).

    How long a turn may take is a speed target: bench/bench_gui.py measures it ("max gap"),
    and docs/performance.md records the figures; a timed assertion here failed on a loaded
    machine without any fault in the code.
    """
    window.workbench.set_hidden([LayerSpec(64, "relu"), LayerSpec(64, "relu")])
    assert window.session.network.sizes == [2, 64, 64, 3]
    set_epochs(qtbot, window, 10_000_000)
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    window.train()
    qtbot.waitUntil(lambda: window.loss_plot.epochs > 0, timeout=10_000)
    last[0] = time.perf_counter()
    timer.start()
    qtbot.wait(2_000)
    timer.stop()
    assert window.state == "training"
    click(qtbot, button(window.training_panel, "Stop"))
    wait_state(qtbot, window, "stopped")
    assert len(gaps) > 50, f"the event loop turned {len(gaps)} times in 2 s of training"


def test_seed_layers_match_builder_default(window):
    assert window.layer_builder.layers() == seed_layers(3)


def test_applied_preset_is_the_one_shown(window):
    window.apply_preset("Fast and accurate")
    assert combo(window.training_panel, "Preset").currentData() == "Fast and accurate"
    assert window.layer_builder.init_scheme() == "xavier"
    window.apply_preset("The article's setup")
    assert combo(window.training_panel, "Preset").currentData() == "The article's setup"


def test_divergence_shows_a_non_modal_notice_and_keeps_finite_weights(window, qtbot):
    set_epochs(qtbot, window, 1_000)
    type_into(qtbot, box(window.training_panel, "Learning rate"), "10")
    assert window.training_panel.config().lr == 10
    click(qtbot, button(window.training_panel, "Train"))
    wait_state(qtbot, window, "diverged")
    notice = window.status.notice
    assert notice is not None and notice.isVisible() and not notice.isModal()
    assert "diverged" in notice.windowTitle().lower()
    assert "smaller learning rate" in notice.text()
    assert window.session.network.is_finite()
    assert "Diverged" in window.status.state_label.text()
    # The window is not blocked: the user can lower the rate and train again at once.
    type_into(qtbot, box(window.training_panel, "Learning rate"), "0.001")
    click(qtbot, button(window.training_panel, "Step"))
    wait_state(qtbot, window, "finished")


CONTROLS = (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QAbstractItemView,
    QAbstractSlider,
)
#: Parts that Qt's scroll areas and tables build for themselves.
PARTS = (QScrollBar, QHeaderView)


def own_controls(window: MainWindow) -> list[QWidget]:
    """The window's controls, without the parts Qt builds inside its own widgets."""
    return [
        w for w in window.findChildren(QWidget)
        if isinstance(w, CONTROLS) and w.window() is window
        and not w.objectName().startswith("qt_") and not isinstance(w, PARTS)
        and not isinstance(w.parent(), QTabBar)
    ]  # fmt: skip


def test_every_control_has_a_tooltip_and_an_accessible_name(window):
    controls = own_controls(window)
    assert len(controls) > 60  # the panels, the views' toolbars and tables
    unnamed = [
        f"{type(w).__name__} {w.accessibleName()!r}"
        for w in controls
        if not (w.toolTip() and w.accessibleName())
    ]
    assert not unnamed


def tab_chain(page: QWidget) -> list[QWidget]:
    """The visible, enabled widgets of ``page`` that Tab visits, in the order it visits them."""
    chain, w = [], page.nextInFocusChain()
    while w is not page and len(chain) < 500:
        if (
            page.isAncestorOf(w) and w.isVisible() and w.isEnabled()
            and w.focusPolicy() & Qt.FocusPolicy.TabFocus and not w.objectName().startswith("qt_")
        ):  # fmt: skip
            chain.append(w)
        w = w.nextInFocusChain()
    return chain


def test_tab_goes_through_each_settings_page_in_reading_order(window, qtbot):
    show_tab(window, 1)
    click(qtbot, button(window.layer_builder, "Add"))  # a row added later still fits in the order
    for index in range(window.tabs.count()):
        show_tab(window, index)
        page = window.tabs.widget(index)
        chain = tab_chain(page)
        assert len(chain) >= 5, window.tabs.tabText(index)
        spots = [w.mapTo(page, QPoint(0, 0)) for w in chain]
        for (a, b), (p, q) in zip(pairwise(chain), pairwise(spots), strict=True):
            same_row = abs(q.y() - p.y()) < 8
            assert (q.x() > p.x()) if same_row else (q.y() > p.y()), (
                f"{window.tabs.tabText(index)}: Tab goes from {a.accessibleName()!r} "
                f"to {b.accessibleName()!r}"
            )


def test_about_names_the_versions():
    import nngui
    from nngui.gui.about import about_text

    text = about_text()
    assert f"nngui {nngui.__version__}" in text and f"NumPy {np.__version__}" in text


def test_tab_never_gets_stuck_in_a_table(window):
    views = [w for w in window.findChildren(QAbstractItemView) if w.window() is window]
    assert len(views) >= 5
    stuck = [w.accessibleName() for w in views if w.tabKeyNavigation()]
    assert not stuck, "Tab would move between cells instead of on to the next control"


def trained_on_csv(tmp_path):
    """A CSV file and a model trained on it (by the command line)."""
    from nngui.cli import main

    data = tmp_path / "d.csv"
    data.write_text("x,y\n" + "".join(f"{i},{2 * i}\n" for i in range(40)))
    model = tmp_path / "d.npz"
    assert main(["train", "--csv", str(data), "--targets", "y", "--epochs", "2", "--quiet",
                 "--out", str(model)]) == 0  # fmt: skip
    return data, model


def test_a_model_trained_on_a_csv_file_opens_with_its_columns(main_window, tmp_path):
    data, model = trained_on_csv(tmp_path)
    assert main_window.files.open_path(str(model))
    assert main_window.workbench.settings.data.path == str(data)
    assert main_window.session.dataset.input_names == ("x",)
    assert main_window.session.history.epochs == 2
    assert "d.csv" in named(main_window.data_panel, "CSV file", QLabel).text()
    assert named(main_window.data_panel, "CSV file").isVisibleTo(main_window.data_panel)
    assert not group(main_window.data_panel, "Inputs").isVisibleTo(main_window.data_panel)


def test_a_moved_data_file_is_located_and_a_different_one_refused(
    main_window, answers, tmp_path, monkeypatch
):
    data, model = trained_on_csv(tmp_path)
    moved = tmp_path / "elsewhere.csv"
    data.rename(moved)
    other = tmp_path / "other.csv"
    other.write_text("x,y\n1,2\n3,4\n5,6\n")
    chosen = [str(other), str(moved)]
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (chosen.pop(0), ""))
    answers.reply = QMessageBox.StandardButton.Open
    assert main_window.files.open_path(str(model))
    asked = answers.asked("question")
    assert "which is missing" in asked[0] and "is not the file d.npz was trained on" in asked[1]
    assert main_window.workbench.settings.data.path == str(moved)
    assert main_window.session.history.epochs == 2


def test_a_changed_data_file_not_located_changes_nothing(main_window, answers, tmp_path):
    data, model = trained_on_csv(tmp_path)
    data.write_text(data.read_text() + "40,80\n")
    before = main_window.session
    answers.reply = QMessageBox.StandardButton.Cancel
    assert not main_window.files.open_path(str(model))
    assert "changed since the model was trained on it" in answers.asked("question")[0]
    assert main_window.session is before and main_window.files.path is None


def test_a_classifier_trained_on_the_command_line_opens_in_the_window(main_window, tmp_path):
    from nngui.cli import main

    model = tmp_path / "circle.npz"
    assert main(["train", "--dataset", "circle", "--epochs", "2", "--quiet",
                 "--out", str(model)]) == 0  # fmt: skip
    assert main_window.files.open_path(str(model))
    session = main_window.session
    assert session.dataset.task == "classification" and session.history.epochs == 2
    assert main_window.workbench.settings.data.dataset == "circle"
