"""Application set-up: QApplication names, icon and high-DPI policy, the error hook, run_app.

``run_app`` is what ``nngui`` (without a sub-command) calls, after ``display_problem`` found
nothing that would make Qt abort. Uncaught exceptions in the GUI thread are logged and shown in
a dialog, and the application keeps running.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable, Mapping
from types import TracebackType

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

import nngui
from nngui.gui.icon import app_icon

log = logging.getLogger("nngui")

ORGANIZATION = "nngui"
APPLICATION = "nngui"


NO_WINDOW_HINT = "or use the command line: nngui train --help"
_RUN_IT_THERE = f"Run nngui in a desktop session (over ssh: ssh -X), {NO_WINDOW_HINT}"


def display_problem(
    environ: Mapping[str, str],
    find_library: Callable[[str], str | None],
    platform: str = sys.platform,
    plugin_problem: Callable[[], str | None] | None = None,
    x_server_problem: Callable[[str], str | None] | None = None,
) -> str | None:
    """Why Qt would abort on creating the QApplication here, as one line; None if it should not.

    Qt aborts (exit status 134) with a message about xcb-cursor0 when it has no display, or
    when its X11 platform plugin misses the system library libxcb-cursor.so.0 (Qt 6.5 and
    newer). Only Linux is checked, and only when the platform is xcb or chosen by Qt: never
    when QT_QPA_PLATFORM names another one (offscreen, wayland …). ``environ`` is the
    environment (os.environ) and ``find_library`` is ``ctypes.util.find_library``.
    When X11 is to be used, ``plugin_problem()`` (the dynamic loader loads the xcb plugin and
    every library it needs) and ``x_server_problem(DISPLAY)`` (the server answers) are asked
    too, if given: see nngui.gui.xcb_preflight.
    """
    if not platform.startswith("linux"):
        return None
    # "xcb:option=value", or a fallback list "wayland;xcb": the first platform is tried first.
    chosen = environ.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if chosen not in ("", "xcb"):
        return None
    has_x11 = bool(environ.get("DISPLAY"))
    if chosen == "xcb" and not has_x11:
        return f"no display to open the window on (DISPLAY is not set). {_RUN_IT_THERE}"
    if not (has_x11 or environ.get("WAYLAND_DISPLAY")):
        return (
            "no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set). "
            f"{_RUN_IT_THERE}"
        )
    if chosen != "xcb" and environ.get("WAYLAND_DISPLAY"):
        return None  # Qt may choose Wayland, which does not need the X11 libraries
    # The finder may not see the system libraries at all (no ldconfig, Nix …): only a finder
    # that sees libxcb itself can tell that libxcb-cursor is missing.
    if find_library("xcb") and not find_library("xcb-cursor"):
        return (
            "the window needs the system library libxcb-cursor.so.0, which is missing. On "
            "Debian or Ubuntu install it with: sudo apt-get install libxcb-cursor0 (in a "
            "source checkout, bash .ci/install-qt-libs --window installs it and the other "
            f"X11 libraries Qt needs); {NO_WINDOW_HINT}"
        )
    if plugin_problem is not None and (problem := plugin_problem()) is not None:
        return problem
    if x_server_problem is not None and (problem := x_server_problem(environ["DISPLAY"])):
        return problem
    return None


def make_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication, created once, named for QSettings and given the icon."""
    app = QApplication.instance()
    if app is None:
        # Fractional scale factors (125 %, 150 %) as they are, not rounded: crisp plots.
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
        app = QApplication(sys.argv[:1] if argv is None else argv)
    assert isinstance(app, QApplication)  # a widget application (ours, or a test runner's)
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    QCoreApplication.setApplicationVersion(nngui.__version__)
    QGuiApplication.setApplicationDisplayName("nngui")
    QGuiApplication.setDesktopFileName("nngui")
    app.setWindowIcon(app_icon())
    return app


class ErrorHook:
    """A ``sys.excepthook`` that logs an uncaught exception and shows it in a dialog."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent
        self._showing = False
        self.count = 0

    def __call__(
        self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        """Log, then tell the user; never raises."""
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        self.count += 1
        details = "".join(traceback.format_exception(kind, exc, tb))
        log.error("uncaught exception\n%s", details)
        if self._showing or QApplication.instance() is None:
            return  # an error while the dialog is open: logged only
        self._showing = True
        try:
            self.show(f"{kind.__name__}: {exc}", details)
        finally:
            self._showing = False

    def show(self, summary: str, details: str) -> None:
        """Show the error in a modal dialog (tests replace this)."""
        box = QMessageBox(QMessageBox.Icon.Critical, "Unexpected error", "", parent=self.parent)
        box.setText(
            "Something went wrong, but nngui keeps running. Your work is still there; "
            "saving it now is a good idea."
        )
        box.setInformativeText(summary.splitlines()[0] if summary else "")
        box.setDetailedText(details)
        box.exec()


def install_excepthook(parent: QWidget | None = None) -> ErrorHook:
    """Install and return the error hook for the GUI thread."""
    hook = ErrorHook(parent)
    sys.excepthook = hook
    return hook


def run_app(model_path: str | None = None, data_path: str | None = None) -> int:
    """Show the main window (opening ``model_path``, or the import view of the CSV file
    ``data_path``, if given) and run until it closes."""
    from nngui.gui.main_window import MainWindow

    app = make_app()
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(levelname)s: %(message)s")
    window = MainWindow()
    window.setWindowIcon(app_icon())
    previous = sys.excepthook
    hook = install_excepthook(window)
    window.show()
    if model_path:
        window.files.open_path(model_path, confirmed=True)
    if data_path:
        window.data.open_path(data_path)
    try:
        return app.exec()
    finally:
        if sys.excepthook is hook:
            sys.excepthook = previous
