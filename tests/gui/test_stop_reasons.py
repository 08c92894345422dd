"""The window says why a run ended and which epoch's weights it kept, for every reason."""

from __future__ import annotations

from PySide6.QtWidgets import QProgressBar
from widget_actions import named

from nngui.core.run_text import kept_reason, stop_reason
from nngui.core.training import TrainConfig
from nngui.workbench.session import end_message


def progress(window) -> QProgressBar:
    return named(window.training_panel, "Training progress", QProgressBar)


def run_to_end(qtbot, window, **settings) -> str:
    window.workbench.set_training(**settings)
    window.train()
    qtbot.waitUntil(lambda: not window.run.running and window.state != "training", timeout=20_000)
    return progress(window).format()


def test_epochs_reached_is_said_in_the_bar_and_the_status_bar(main_window, qtbot):
    text = run_to_end(qtbot, main_window, epochs=30)
    assert text.endswith("· all 30 epochs run") and text.startswith("epoch 30 / 30")
    assert main_window.statusBar().currentMessage().startswith("Run ended: all 30 epochs run")


def test_a_time_limit_is_not_called_finished(main_window, qtbot):
    text = run_to_end(qtbot, main_window, epochs=50_000_000, time_limit=0.3)
    assert text.endswith("· time limit (0.3 s)"), text
    assert "time limit (0.3 s)" in main_window.statusBar().currentMessage()


def test_the_user_stopping_is_said(main_window, qtbot):
    main_window.workbench.set_training(epochs=50_000_000)
    main_window.train()
    qtbot.waitUntil(lambda: main_window.loss_plot.epochs > 0, timeout=10_000)
    main_window.stop()
    qtbot.waitUntil(lambda: main_window.state == "stopped", timeout=10_000)
    assert progress(main_window).format().endswith("· stopped")
    assert main_window.statusBar().currentMessage().startswith("Run ended: stopped")


def test_divergence_says_so_and_names_the_restored_weights(main_window, qtbot):
    run_to_end(qtbot, main_window, epochs=2000, lr=10.0, optimizer="gd")
    assert main_window.state == "diverged"
    message = main_window.statusBar().currentMessage()
    assert message.startswith("Run ended: diverged; training diverged at epoch")
    assert "restored the weights of epoch" in message


def test_the_longest_end_of_run_line_fits_the_status_bar_at_1024_pixels(main_window, qtbot):
    main_window.resize(1024, 700)
    qtbot.waitUntil(lambda: main_window.width() == 1024)
    config = TrainConfig(epochs=100_000_000, patience=10_000_000, time_limit=604_800)
    longest = max(
        (
            end_message(
                stop_reason(outcome, config, 99_999_999),
                kept_reason(outcome, 12_345_678, 99_999_999),
            )
            for outcome in ("completed", "early_stopped", "time_limit", "interrupted")
        ),
        key=len,
    )
    bar = main_window.statusBar()
    bar.showMessage(longest)
    assert bar.fontMetrics().horizontalAdvance(longest) < bar.width() - 24, longest


def test_a_reason_too_long_for_the_bar_keeps_its_explanation_in_the_tooltip(main_window):
    panel = main_window.training_panel
    panel.resize(300, panel.height())
    bar = progress(main_window)
    bar.resize(260, bar.height())
    reason = "early stopping (no better validation loss in 1,000 epochs)"
    panel.show_ended(1238, 100_000, reason)
    assert bar.format() == "epoch 1,238 / 100,000 · early stopping"
    assert reason in bar.toolTip()
