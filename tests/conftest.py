"""Test set-up shared by every test: Qt runs offscreen, settings go to a temporary place."""

from __future__ import annotations

import os

# Force the offscreen platform before anything imports Qt: tests never need a display.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
# Test matrices are small: one BLAS thread is faster than two fighting over a loaded machine,
# and leaves a core to the GUI thread in the responsiveness tests.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
