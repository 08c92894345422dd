"""Test set-up shared by every test: Qt runs offscreen, settings go to a temporary place."""

from __future__ import annotations

import os

# Force the offscreen platform before anything imports Qt: tests never need a display.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
