"""Application set-up: names, icon, the error hook that keeps the app running, run_app."""

from __future__ import annotations

import ctypes.util
import logging
import sys

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication

from nngui.core.data import DataSpec
from nngui.core.model_file import save_model
from nngui.core.network import seed_layers
from nngui.core.training import TrainConfig, Trainer
from nngui.gui import xcb_preflight
from nngui.gui.app import (
    ErrorHook,
    display_problem,
    install_excepthook,
    make_app,
    run_app,
)
from nngui.gui.icon import ICON_PATH, app_icon
from nngui.gui.main_window import MainWindow
from nngui.workbench.session import fresh_session


def test_make_app_names_and_icon(qapp):
    app = make_app()
    assert app is qapp
    assert QCoreApplication.organizationName() == "nngui"
    assert QCoreApplication.applicationName() == "nngui"
    assert ICON_PATH.exists() and not app_icon().isNull()
    assert not app.windowIcon().isNull()


def test_error_hook_logs_and_shows(caplog):
    hook = ErrorHook()
    shown = []
    hook.show = lambda summary, details: shown.append((summary, details))
    try:
        raise ValueError("bad thing")
    except ValueError:
        kind, exc, tb = sys.exc_info()
    with caplog.at_level(logging.ERROR, logger="nngui"):
        hook(kind, exc, tb)
    assert hook.count == 1
    assert shown[0][0] == "ValueError: bad thing" and "Traceback" in shown[0][1]
    assert "bad thing" in caplog.text


@pytest.mark.qt_no_exception_capture
def test_exception_in_a_slot_is_shown_and_the_app_keeps_running(qtbot):
    hook = install_excepthook()
    shown = []
    hook.show = lambda summary, details: shown.append(summary)
    try:

        def explode() -> None:
            raise RuntimeError("slot failed")

        QTimer.singleShot(0, explode)
        qtbot.waitUntil(lambda: bool(shown), timeout=5_000)
        ticks = []
        QTimer.singleShot(0, lambda: ticks.append(1))
        qtbot.waitUntil(lambda: bool(ticks), timeout=5_000)  # the event loop still runs
    finally:
        sys.excepthook = sys.__excepthook__
    assert shown == ["RuntimeError: slot failed"]


def closing_soon() -> None:
    def close_all() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, MainWindow):
                w.close()

    QTimer.singleShot(300, close_all)


def test_run_app_opens_a_model_and_returns(qapp, tmp_path):
    s = fresh_session(DataSpec(samples=200), seed_layers(3), "he")
    trainer = Trainer(s.network, s.dataset, TrainConfig(epochs=5))
    trainer.run()
    s.history = trainer.history
    path = tmp_path / "start.npz"
    save_model(s.model(TrainConfig(epochs=5)), path)
    seen = []

    def look() -> None:
        w = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
        seen.append((w.windowFilePath(), w.session.history.epochs, w.session.network.params[0]))

    QTimer.singleShot(100, look)
    closing_soon()
    hook_before = sys.excepthook
    assert run_app(str(path)) == 0
    assert sys.excepthook is hook_before
    assert seen[0][0] == str(path) and seen[0][1] == 5
    np.testing.assert_array_equal(seen[0][2], s.network.params[0])
    for w in QApplication.topLevelWidgets():
        if isinstance(w, MainWindow):
            w.deleteLater()


# ----- display_problem: why Qt would abort, found before the QApplication exists ----------
def finder(*missing: str):
    """A stand-in for ctypes.util.find_library that finds every library but ``missing``."""
    return lambda name: None if name in missing else f"lib{name}.so"


def no_finder(name: str) -> str | None:
    raise AssertionError(f"looked for {name} when it did not need to")


X11 = {"DISPLAY": ":0"}
BOTH = {"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}


@pytest.mark.parametrize(
    ("environ", "reason"),
    [
        ({}, "(neither DISPLAY nor WAYLAND_DISPLAY is set)"),
        ({"DISPLAY": "", "WAYLAND_DISPLAY": "", "QT_QPA_PLATFORM": ""}, "neither DISPLAY"),
        ({"QT_QPA_PLATFORM": "xcb"}, "(DISPLAY is not set)"),
        ({"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "wayland-0"}, "(DISPLAY is not set)"),
        ({"QT_QPA_PLATFORM": "xcb:dpi=96"}, "(DISPLAY is not set)"),
    ],
)
def test_no_display_is_one_clear_line(environ, reason):
    message = display_problem(environ, no_finder, "linux")
    assert message is not None and "\n" not in message
    assert message.startswith("no display to open the window on ") and reason in message
    assert "desktop session" in message and "nngui train --help" in message


@pytest.mark.parametrize(
    "environ",
    [
        {**X11, "QT_QPA_PLATFORM": "xcb"},
        X11,
        {**BOTH, "QT_QPA_PLATFORM": "xcb"},
    ],
)
def test_missing_xcb_cursor_names_the_package(environ):
    message = display_problem(environ, finder("xcb-cursor"), "linux")
    assert message is not None and "\n" not in message
    assert "libxcb-cursor.so.0" in message and "sudo apt-get install libxcb-cursor0" in message
    assert ".ci/install-qt-libs --window" in message and "nngui train --help" in message


@pytest.mark.parametrize(
    "environ",
    [
        {"QT_QPA_PLATFORM": "offscreen"},
        {"QT_QPA_PLATFORM": "wayland"},
        {"QT_QPA_PLATFORM": "wayland;xcb"},
        {"QT_QPA_PLATFORM": "minimal"},
        {"QT_QPA_PLATFORM": "offscreen", **X11},
    ],
)
def test_another_platform_is_never_checked(environ):
    assert display_problem(environ, no_finder, "linux") is None


def test_nothing_to_say_when_the_window_can_open():
    assert display_problem(X11, finder(), "linux") is None
    assert display_problem({"WAYLAND_DISPLAY": "wayland-0"}, no_finder, "linux") is None
    # Qt may pick Wayland when both are there: the X11 library is not needed then.
    assert display_problem(BOTH, finder("xcb-cursor"), "linux") is None


def test_a_finder_that_sees_no_library_at_all_proves_nothing():
    # No ldconfig, or libraries outside its reach (Nix …): do not refuse a window that works.
    assert display_problem(X11, finder("xcb", "xcb-cursor"), "linux") is None


@pytest.mark.parametrize("platform", ["darwin", "win32", "freebsd14"])
def test_only_linux_is_checked(platform):
    assert display_problem({}, no_finder, platform) is None


# ----- the xcb pre-flight: the plugin's libraries and the X server -------------------------
def test_the_plugin_and_the_server_are_asked_only_for_x11():
    asked = []
    plugin = lambda: asked.append("plugin")  # noqa: E731
    server = lambda display: asked.append(display)  # noqa: E731
    assert display_problem(X11, finder(), "linux", plugin, server) is None
    assert asked == ["plugin", ":0"]
    asked.clear()
    for environ in ({"QT_QPA_PLATFORM": "offscreen", **X11}, {"WAYLAND_DISPLAY": "w-0"}, BOTH):
        assert display_problem(environ, finder(), "linux", plugin, server) is None
    assert asked == []


def test_a_plugin_problem_comes_before_the_server():
    def server(display):
        raise AssertionError("asked the server after the plugin failed")

    message = display_problem(X11, finder(), "linux", lambda: "missing libxcb-icccm", server)
    assert message == "missing libxcb-icccm"
    assert display_problem(X11, finder(), "linux", lambda: None, lambda d: "dead") == "dead"


def test_a_missing_plugin_library_names_its_debian_package(tmp_path):
    plugin = tmp_path / "libqxcb.so"
    plugin.write_bytes(b"\x7fELF")

    def load(name):
        assert name == str(plugin)
        raise OSError(
            "libxcb-icccm.so.4: cannot open shared object file: No such file or directory"
        )

    message = xcb_preflight.plugin_problem(plugin, load)
    assert message is not None and "\n" not in message
    assert "libxcb-icccm.so.4" in message and "sudo apt-get install libxcb-icccm4" in message
    assert "nngui train --help" in message
    assert xcb_preflight.plugin_problem(plugin, lambda name: None) is None
    assert xcb_preflight.plugin_problem(tmp_path / "absent.so", load) is None


def test_a_plugin_that_cannot_load_for_another_reason_says_so(tmp_path):
    plugin = tmp_path / "libqxcb.so"
    plugin.write_bytes(b"not an ELF file")  # the real loader refuses it
    message = xcb_preflight.plugin_problem(plugin)
    assert message is not None and "\n" not in message
    assert message.startswith("Qt's X11 platform plugin cannot be loaded (")


def test_a_display_without_a_server_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("XAUTHORITY", str(tmp_path / "none"))
    if not ctypes.util.find_library("xcb"):
        pytest.skip("libxcb is not installed")
    message = xcb_preflight.x_server_problem(":917")  # no server on display 917
    assert message is not None and "\n" not in message
    assert "DISPLAY=:917 does not answer" in message and "nngui train --help" in message
