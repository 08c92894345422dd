"""GUI test set-up: every test gets its own QSettings store under tmp_path."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QMessageBox

from nngui.core.data import DataSpec, make_dataset
from nngui.core.network import LayerSpec, Network
from nngui.core.training import TrainConfig, Trainer


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, qapp):
    """Point QSettings (INI format) at a fresh folder so tests never read the user's."""
    QCoreApplication.setOrganizationName("nngui")
    QCoreApplication.setApplicationName("nngui")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(tmp_path / "settings"))
    QSettings().clear()
    yield tmp_path / "settings"


def tiny_trainer(
    samples: int = 100,
    hidden: tuple[int, ...] = (4,),
    config: TrainConfig | None = None,
    val_ratio: float = 0.0,
) -> Trainer:
    """A small, fast Trainer on the article's task."""
    spec = DataSpec(samples=samples, val_ratio=val_ratio)
    rng = np.random.RandomState(spec.seed)
    ds = make_dataset(spec, rng)
    layers = [*(LayerSpec(u, "relu") for u in hidden), LayerSpec(3, "linear")]
    net = Network.initialise(ds.n_inputs, layers, rng)
    return Trainer(net, ds, config or TrainConfig())


@pytest.fixture
def make_trainer():
    """The ``tiny_trainer`` factory, for tests that build their own trainers."""
    return tiny_trainer


class Answers:
    """Stand-ins for QMessageBox's static functions: record calls, answer ``reply``."""

    def __init__(self, monkeypatch, reply=QMessageBox.StandardButton.Discard) -> None:
        self.calls: list[tuple[str, str]] = []
        self.reply = reply
        for name in ("question", "warning", "critical", "information"):
            monkeypatch.setattr(QMessageBox, name, self._fake(name))

    def _fake(self, name: str):
        def answer(parent, title, text, *args, **kwargs):
            self.calls.append((name, text))
            return self.reply if name == "question" else QMessageBox.StandardButton.Ok

        return answer

    def asked(self, name: str) -> list[str]:
        return [text for kind, text in self.calls if kind == name]


@pytest.fixture
def answers(monkeypatch):
    """QMessageBox's static functions patched to answer Discard (or ``answers.reply``)."""
    return Answers(monkeypatch)


@pytest.fixture
def main_window(qtbot, answers):
    """A shown MainWindow whose message boxes answer at once; training stopped afterwards."""
    from nngui.gui import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.stop_training()
