"""Workbench: the settings and their edits (each an undoable, named command), and the session.

Every edit (data, layers, initialisation, training settings, a preset) goes through
``edit`` or one of the ``set_…`` helpers: it is validated first (a bad edit raises and changes
nothing), then pushed on ``stack`` as a Command named by ``describe_change``; undo and redo put
the settings back exactly. Listeners get ``(old, new)`` after every change, whoever made it
(an edit, an undo, a redo, ``load``), and ``starts_new_network(old, new)`` tells them whether
the network must start over.

An edit of the data makes the output layer its task's: a unit per target for a regression (its
activation kept, linear after a classifier's), one sigmoid unit or a softmax per class for a
classifier (a CSV file is read to know its classes, once: the network is made on what was read).

The session is the network being worked on, with its data and history; ``state`` says what its
training is doing (a RunState). An edit that ``starts_new_network`` (an undo or redo of one
too) replaces the session with a fresh one at once, never while a run is under way; trained
work is never lost: every run is kept in ``runs`` as it ends (``end_run``), and a network
trained only by single steps is kept there before another replaces it. ``modified`` says
whether something changed since the last save or open. Session, state and modified listeners
are plain callables too.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Hashable, Sequence
from typing import Any

from nngui.core.csv_source import CsvSpec
from nngui.core.data import Dataset, DataSpec, DataSpecError, split_counts
from nngui.core.model import Model
from nngui.core.network import LayerSpec
from nngui.core.playground_source import PLAYGROUND_CLASSES, PlaygroundSpec
from nngui.core.presets import PRESETS, preset_for_task, training_on_own_data
from nngui.core.setup import build_dataset, task_output
from nngui.core.training import (
    RunResult,
    TrainConfig,
    TrainConfigError,
    Trainer,
    weights_epoch_after,
)
from nngui.workbench.commands import Command, CommandStack, UndoStack
from nngui.workbench.listeners import Listeners
from nngui.workbench.run_state import RunState, RunStateError
from nngui.workbench.runs import RunRecord, Runs, RunsError
from nngui.workbench.session import (
    Session,
    copy_history,
    fresh_session,
    session_from_model,
    session_on,
    trainer_for,
)
from nngui.workbench.settings import (
    DataSource,
    Settings,
    SettingsError,
    describe_change,
    starts_new_network,
)

SettingsListener = Callable[[Settings, Settings], None]
#: Called with the session replaced (None at first) and the new one.
SessionListener = Callable[[Session | None, Session], None]


class Workbench:
    """The settings, their undo stack and their listeners (see the module docstring).

    ``stack`` is a CommandStack unless another UndoStack is given (the GUI gives a QUndoStack
    that wraps the workbench's commands, so the Edit menu undoes them).
    """

    def __init__(self, settings: Settings | None = None, stack: UndoStack | None = None) -> None:
        self._settings = settings if settings is not None else Settings()
        self.stack: UndoStack = stack if stack is not None else CommandStack()
        self._settings_changed: Listeners[[Settings, Settings]] = Listeners()
        self.runs = Runs()
        #: The run whose network the session holds (None: a fresh or opened network).
        self.current_run: int | None = None
        #: The run the network last replaced was kept as (None: it was untrained or saved).
        self.replaced_run: RunRecord | None = None
        self._session: Session | None = None
        self._state = RunState.IDLE
        self._modified = False
        self._trainer: Trainer | None = None  # kept between runs: its optimiser state goes on
        self._unrecorded = False  # single steps trained the session since it was last kept
        self._started = dt.datetime.now()
        self._showing = False  # the settings are those of a model being shown: keep it
        self._session_replaced: Listeners[[Session | None, Session]] = Listeners()
        self._state_changed: Listeners[[RunState]] = Listeners()
        self._modified_changed: Listeners[[bool]] = Listeners()
        #: The new network an edit made before pushing its step (for the step's first redo).
        self._prepared: tuple[Settings, Session] | None = None
        #: A CSV file read to fit the output layer to it, for the network made next.
        self._read: tuple[CsvSpec, Dataset] | None = None

    @property
    def settings(self) -> Settings:
        """The settings now."""
        return self._settings

    def subscribe(self, listener: SettingsListener) -> Callable[[], None]:
        """Call ``listener(old, new)`` after every change; returns how to unsubscribe."""
        return self._settings_changed.add(listener)

    # ----- edits ----------------------------------------------------------------------------
    def edit(
        self, new: Settings, text: str | None = None, merge_key: Hashable | None = None
    ) -> bool:
        """Change the settings to ``new`` as one undoable step (named ``text``, or after what
        changed); False when ``new`` equals the settings now (nothing is pushed)."""
        old = self._settings
        if new == old:
            return False
        # Refused during a run, and a network that cannot be made (a CSV file that cannot be
        # read) raises, before anything is pushed; the one made is the one the step shows.
        try:
            if self._starts_over(old, new):
                self._prepared = (new, self._fresh_session(new))
        finally:
            self._read = None
        name = text or describe_change(old, new)
        self.stack.push(
            Command(name, lambda: self._apply(new), lambda: self._apply(old), merge_key, old, new)
        )
        return True

    def set_data_spec(self, data: DataSource, merge_key: Hashable | None = None) -> bool:
        """Change the data settings to ``data`` (the output layer follows its task and targets;
        class weights are for classifiers only)."""
        try:
            s = self._settings
            return self.edit(self._fitted(s.layers, s.training, data), merge_key=merge_key)
        finally:
            self._read = None

    def set_data(self, merge_key: Hashable | None = None, **changes: Any) -> bool:
        """Change data settings (fields of the data's spec: ``samples=5000``, ``seed=7`` …)."""
        try:
            data = dataclasses.replace(self._settings.data, **changes)
        except TypeError as exc:
            raise SettingsError(f"unknown data setting ({exc})") from None
        return self.set_data_spec(data, merge_key)

    def set_training(
        self, merge_key: Hashable | None = None, text: str | None = None, **changes: Any
    ) -> bool:
        """Change training settings (TrainConfig fields: ``lr=0.001``, ``epochs=500`` …),
        named ``text`` if given."""
        try:
            training = dataclasses.replace(self._settings.training, **changes)
        except TypeError as exc:
            raise SettingsError(f"unknown training setting ({exc})") from None
        return self.edit(self._settings.replace(training=training), text, merge_key)

    def set_layers(
        self, layers: Sequence[LayerSpec], text: str | None = None,
        merge_key: Hashable | None = None,
    ) -> bool:  # fmt: skip
        """Change the layers after the input (output layer last), named ``text`` if given."""
        return self.edit(self._settings.replace(layers=tuple(layers)), text, merge_key)

    def set_hidden(
        self, hidden: Sequence[LayerSpec], text: str | None = None,
        merge_key: Hashable | None = None,
    ) -> bool:  # fmt: skip
        """Change the hidden layers, keeping the output layer."""
        return self.set_layers([*hidden, self._settings.layers[-1]], text, merge_key)

    def apply_preset(self, name: str) -> bool:
        """Replace every setting with the preset ``name``'s, as one step. On own data (a CSV
        file, a Playground set) the data stay, unless the preset has a Playground set of its
        own: the preset gives its validation share, layers (the output layer the task's) and
        training settings (the classifier's shape for a classifier), fitted to the rows."""
        preset = Settings.from_preset(name)
        data = self._settings.data
        if isinstance(data, DataSpec) or isinstance(preset.data, PlaygroundSpec):
            return self.edit(preset, f"Apply preset {name}")
        data = dataclasses.replace(data, val_ratio=preset.data.val_ratio)
        rows = self._session.dataset.rows if self._session is not None else 0
        if isinstance(data, PlaygroundSpec):
            rows, task = data.points, data.task
        else:
            task = self._session.dataset.task if self._session is not None else "regression"
        n_train = split_counts(rows, data.train_ratio, data.val_ratio)[0]
        chosen = preset_for_task(PRESETS[name], task)
        training = training_on_own_data(chosen, n_train, data.val_ratio > 0)
        try:
            settings = self._fitted(chosen.layers, training, data)
            return self.edit(settings, f"Apply preset {name}")
        finally:
            self._read = None

    def load(self, settings: Settings) -> None:
        """Take ``settings`` as they are and forget the undo history (a fresh network follows
        if they need one)."""
        self._apply(settings)
        self.stack.clear()

    # ----- the session ----------------------------------------------------------------------
    @property
    def session(self) -> Session | None:
        """The network being worked on, its data and history (None before ``start_fresh``)."""
        return self._session

    @property
    def state(self) -> RunState:
        """What the session's training is doing."""
        return self._state

    @property
    def modified(self) -> bool:
        """Whether anything changed since the model was last saved or opened."""
        return self._modified

    def subscribe_session(self, listener: SessionListener) -> Callable[[], None]:
        """Call ``listener(old, new)`` when the session is replaced; returns how to stop."""
        return self._session_replaced.add(listener)

    def subscribe_state(self, listener: Callable[[RunState], None]) -> Callable[[], None]:
        """Call ``listener(state)`` when the run state changes; returns how to stop."""
        return self._state_changed.add(listener)

    def subscribe_modified(self, listener: Callable[[bool], None]) -> Callable[[], None]:
        """Call ``listener(modified)`` when ``modified`` changes; returns how to stop."""
        return self._modified_changed.add(listener)

    def set_modified(self, on: bool) -> None:
        """Say whether anything changed since the last save or open."""
        if on != self._modified:
            self._modified = on
            self._modified_changed(on)

    def has_unsaved_work(self) -> bool:
        """Whether trained work would be lost: always during a run, else unsaved epochs."""
        trained = self._session is not None and self._session.trained
        return self._state.running or (self._modified and trained)

    def start_fresh(self) -> Session:
        """Draw the data, then fresh weights, from the settings (the state becomes idle)."""
        self._require_idle("start a new network")
        s = self._settings
        session = fresh_session(s.data, list(s.layers), s.training.init, s.training.dtype)
        self._replace(session, RunState.IDLE)
        return session

    def new(self) -> Session:
        """Start again from the article's settings, with no undo history (File ▸ New)."""
        self._require_idle("start again")
        self._showing = True
        try:
            self.load(Settings())
        finally:
            self._showing = False
        session = self.start_fresh()
        self.set_modified(False)
        return session

    def open_model(self, model: Model, undo_text: str | None = None) -> Session:
        """Show ``model``: its settings, network and history. With ``undo_text`` the change of
        settings is an undoable step of that name (a kept run restored), else the undo history
        starts afresh (a file opened). Raises ValueError (DataSpecError, SettingsError) if the
        model cannot be shown, changing nothing."""
        self._require_idle("show another model")
        session = session_from_model(model)
        assert model.data_spec is not None  # session_from_model refuses a model without it
        settings = Settings(
            model.data_spec, tuple(model.network.layers), model.train_config or TrainConfig()
        )
        self._showing = True
        try:
            if undo_text is None:
                self.load(settings)
            else:
                self.edit(settings, undo_text)
        finally:
            self._showing = False
        outcome = model.outcome or "completed"
        self._replace(session, RunState.from_outcome(outcome) if session.trained else RunState.IDLE)
        if undo_text is None:
            self.set_modified(False)  # as the file holds it
        return session

    def restore_run(self, run_id: int) -> RunRecord:
        """Bring back the kept run ``run_id``: its settings (one undoable step), weights and
        history. Raises RunsError for an unknown run."""
        run = self.runs.get(run_id)
        self.open_model(run.model(), f"Restore {run.name}")
        self.current_run = run.id
        self.set_modified(not run.saved)
        return run

    def current_model(self) -> Model:
        """The session's network with its data, settings, history and metrics (to save)."""
        if self._session is None:
            raise RuntimeError("no session: call start_fresh first")
        return self._session.model(self._settings.training)

    def mark_saved(self) -> None:
        """The session was saved: nothing is modified, and its run (if any) is saved."""
        self.set_modified(False)
        if self.current_run is not None:
            try:
                self.runs.mark_saved(self.current_run)
            except RunsError:  # deleted since: the network is no run now
                self.current_run = None

    # ----- runs -----------------------------------------------------------------------------
    def begin_run(self) -> Trainer:
        """The trainer for a run with the settings now (the one kept from the last run if it
        fits them, so its optimiser state carries on); the state becomes training. The trainer
        belongs to the run until ``end_run``: nothing here touches it meanwhile."""
        if self._session is None:
            raise RuntimeError("no session: call start_fresh first")
        config = self._settings.training
        if config.patience and self._session.dataset.val is None:
            where = (
                "Data ▸ Import Settings…" if isinstance(self._settings.data, CsvSpec)
                else "the Data tab"
            )  # fmt: skip
            raise TrainConfigError(
                f"early stopping needs a validation split: give it a validation share in {where}, "
                "or set the patience to off"
            )
        trainer = trainer_for(self._session, self._trainer, config)
        self.set_state(RunState.TRAINING)
        self._trainer = trainer
        self._started = dt.datetime.now()
        return trainer

    def end_run(self, outcome: str, result: RunResult | None, keep: bool = True) -> None:
        """Take over the ended run's network and history (its thread has ended); ``keep``
        records it in ``runs`` (False for a single step: kept only if it is replaced)."""
        trainer, s = self._trainer, self._session
        if trainer is None or s is None:
            return
        s.network = trainer.net.copy()
        s.history = copy_history(trainer.history)
        s.outcome, s.config = outcome, trainer.config
        s.weights_epoch = None if result is None else weights_epoch_after(result, s.weights_epoch)
        self.set_state(RunState.from_outcome(outcome))
        self.set_modified(True)
        if keep:
            self._record(outcome, trainer.config)
        else:
            self._unrecorded = True

    def set_state(self, state: RunState) -> None:
        """Move the run state to ``state``; raises RunStateError if it cannot go there."""
        if state is not self._state:
            self._state = self._state.to(state)
            self._state_changed(state)

    # ----- internals ------------------------------------------------------------------------
    def _fitted(
        self, layers: Sequence[LayerSpec], training: TrainConfig, data: DataSource
    ) -> Settings:
        """Settings of ``data``, ``layers`` and ``training``, the output layer the data's
        task's (a CSV file is read to know it: kept in ``_read`` for the network made next),
        class weights off for a regression."""
        out = layers[-1]
        regression = LayerSpec(len(data.targets), out.activation)
        classes: tuple[str, ...]
        if isinstance(data, PlaygroundSpec):
            classes = PLAYGROUND_CLASSES if data.task == "classification" else ()
            task = data.task
        elif isinstance(data, CsvSpec):
            dataset = build_dataset(data)  # raises ValueError or OSError: nothing changes
            self._read = (data, dataset)
            task, classes = dataset.task, dataset.classes
        else:
            task, classes = "regression", ()
        fitted = (*layers[:-1], task_output(task, classes, regression))
        if task != "classification" and training.class_weight != "none":
            training = dataclasses.replace(training, class_weight="none")
        return Settings(data, fitted, training)

    def _fresh_session(self, settings: Settings) -> Session:
        """A new network on ``settings``' data (raises ValueError or OSError when the data
        cannot be made or read); on the CSV file just read if it is that one."""
        s = settings
        read = self._read
        if read is not None and read[0] == s.data:
            return session_on(read[1], list(s.layers), s.training.init, s.training.dtype)
        return fresh_session(s.data, list(s.layers), s.training.init, s.training.dtype)

    def _apply(self, new: Settings) -> None:
        """Make ``new`` the settings; when they need a new network it is made first, so that
        data that cannot be read (a file deleted before an undo) raises and changes nothing."""
        old = self._settings
        if old == new:
            return
        session = None
        if self._starts_over(old, new):
            prepared, self._prepared = self._prepared, None
            fits = prepared is not None and prepared[0] == new
            session = prepared[1] if prepared is not None and fits else self._fresh_session(new)
        self._settings = new
        if session is not None:
            self._replace(session, RunState.IDLE)
        if not self._showing:
            self.set_modified(True)
        self._settings_changed(old, new)

    def _starts_over(self, old: Settings, new: Settings) -> bool:
        """Whether going from ``old`` to ``new`` replaces the session (refused during a run)."""
        fresh = starts_new_network(old, new) and self._session is not None and not self._showing
        if fresh:
            self._require_idle("change the data or the network")
        return fresh

    def _require_idle(self, doing: str) -> None:
        if self._state.running:
            raise RunStateError(f"cannot {doing} while a run is under way; stop it first")

    def _replace(self, session: Session, state: RunState) -> None:
        """Make ``session`` the session, in ``state`` and of no run; keep the old one's
        unrecorded work."""
        old = self._session
        self.replaced_run = None
        if old is not None and old.trained:
            if self._unrecorded:
                self.replaced_run = self._record(old.outcome or "completed", old.config)
            elif self.current_run in {run.id for run in self.runs}:
                self.replaced_run = self.runs.get(self.current_run)
        self._session, self._trainer, self._unrecorded = session, None, False
        self.current_run = None
        if state is not self._state:  # a new network, or a model shown: not a transition
            self._state = state
            self._state_changed(state)
        self._session_replaced(old, session)

    def _record(self, outcome: str, config: TrainConfig | None) -> RunRecord | None:
        """Keep the session as a run that ended with ``outcome``, trained with ``config``."""
        self._unrecorded = False
        s = self._session
        if s is None:
            return None
        run = RunRecord.of_session(s, config or self._settings.training, self._started, outcome)
        if run is None:
            return None
        kept = self.runs.add(run)
        self.current_run = kept.id
        return kept


__all__ = ["DataSpecError", "TrainConfigError", "Workbench"]
