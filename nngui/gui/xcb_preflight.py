"""Checks, before the QApplication exists, that Qt's X11 (xcb) platform can start here.

Qt aborts (exit status 134) with a long message when its xcb platform plugin cannot be loaded
or the X server does not answer. Both are asked here first, the way Qt itself would meet them:
the dynamic loader loads the plugin (and so every library it needs), and libxcb connects to
the display. Each probe returns one line saying what is wrong and what to do, or None.
"""

from __future__ import annotations

import ctypes
import os
import re
from collections.abc import Callable
from pathlib import Path

#: The Debian/Ubuntu package of each library the xcb platform plugin loads.
DEBIAN_PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xinput.so.0": "libxcb-xinput0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libSM.so.6": "libsm6",
    "libICE.so.6": "libice6",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libdbus-1.so.3": "libdbus-1-3",
}
_MISSING = re.compile(r"([^\s:/]+\.so[.\d]*): cannot open shared object file")
_HINT = "or use the command line: nngui train --help"


def plugin_path() -> Path:
    """Where the installed PySide6 keeps Qt's xcb platform plugin."""
    import PySide6  # the package only: its modules load Qt itself

    return Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"


def plugin_problem(
    path: Path | None = None, load: Callable[[str], object] | None = None
) -> str | None:
    """Why the dynamic loader cannot load the xcb plugin (naming the missing library), or None.

    ``load`` is the loader (``ctypes.CDLL`` with lazy binding by default); a plugin file that
    is not there is not this check's business (Qt then reports its own platform list).
    """
    path = plugin_path() if path is None else path
    if not path.is_file():
        return None
    if load is None:
        mode = getattr(os, "RTLD_LAZY", 1) | getattr(os, "RTLD_LOCAL", 0)
        load = lambda name: ctypes.CDLL(name, mode=mode)  # noqa: E731
    try:
        load(str(path))
    except OSError as exc:
        return missing_library_message(str(exc))
    return None


def missing_library_message(loader_error: str) -> str:
    """One line for the loader's error: the missing library and the package that has it."""
    found = _MISSING.search(loader_error)
    if found is None:
        reason = " ".join(loader_error.split())
        return f"Qt's X11 platform plugin cannot be loaded ({reason}); {_HINT}"
    library = found[1]
    package = DEBIAN_PACKAGES.get(library)
    install = (
        f"On Debian or Ubuntu install it with: sudo apt-get install {package} (in a source "
        "checkout, bash .ci/install-qt-libs --window installs every X11 library Qt needs)"
        if package
        else "Install the system package that provides it"
    )
    return f"the window needs the system library {library}, which is missing. {install}; {_HINT}"


def x_server_problem(display: str, libxcb: str = "libxcb.so.1") -> str | None:
    """Why the X server named by ``display`` does not answer, or None if it does.

    Connects with libxcb as Qt would (same authority file and socket); when libxcb itself
    cannot be loaded the plugin check speaks instead, so this says nothing.
    """
    try:
        xcb = ctypes.CDLL(libxcb)
    except OSError:
        return None
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.restype = ctypes.c_int
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode("utf-8", "surrogateescape"), None)
    try:
        error = xcb.xcb_connection_has_error(connection) if connection else 1
    finally:
        if connection:
            xcb.xcb_disconnect(connection)
    if error == 0:
        return None
    return (
        f"the X server of DISPLAY={display} does not answer (it is not running, or this user "
        "may not use it). Start the desktop session or X server, or set DISPLAY to one that "
        f"runs; {_HINT}"
    )
