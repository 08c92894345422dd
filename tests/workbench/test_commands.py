"""CommandStack: push runs a command, undo and redo take it back and make it again."""

from __future__ import annotations

import pytest

from nngui.workbench import Command, CommandStack


def setter(log: list[int], value: int, text: str = "", key: object = None) -> Command:
    before: list[int] = []

    def redo() -> None:
        before.append(log[-1] if log else 0)
        log.append(value)

    def undo() -> None:
        log.append(before.pop())

    return Command(text or f"Set {value}", redo, undo, key)


def test_push_undo_redo_and_their_texts():
    log: list[int] = []
    stack = CommandStack()
    heard = []
    stack.subscribe(lambda: heard.append(stack.undo_text()))
    stack.push(setter(log, 1))
    stack.push(setter(log, 2))
    assert log == [1, 2] and stack.undo_text() == "Set 2" and stack.count() == 2
    assert stack.undo() and log[-1] == 1 and stack.redo_text() == "Set 2"
    assert stack.undo() and log[-1] == 0 and not stack.can_undo() and not stack.undo()
    assert stack.redo() and log[-1] == 1 and stack.redo() and log[-1] == 2
    assert not stack.redo() and not stack.can_redo()
    assert heard == ["Set 1", "Set 2", "Set 1", "", "Set 1", "Set 2"]


def test_a_new_command_forgets_what_was_undone():
    log: list[int] = []
    stack = CommandStack()
    stack.push(setter(log, 1))
    stack.push(setter(log, 2))
    stack.undo()
    stack.push(setter(log, 3))
    assert not stack.can_redo() and stack.texts() == ["Set 1", "Set 3"]


def test_commands_with_the_same_merge_key_are_one_step():
    log: list[int] = []
    stack = CommandStack()
    stack.push(setter(log, 5))
    for value in (6, 64, 640):
        stack.push(setter(log, value, key="units row 1"))
    assert stack.texts() == ["Set 5", "Set 640"]
    stack.undo()
    assert log[-1] == 5, "one undo takes back every merged edit"
    stack.push(setter(log, 7, key="units row 1"))
    stack.push(setter(log, 8, key="units row 2"))
    assert stack.count() == 3


def test_clean_state_follows_undo_redo_and_merges():
    log: list[int] = []
    stack = CommandStack()
    assert stack.is_clean()
    stack.push(setter(log, 1, key="k"))
    stack.mark_clean()
    stack.push(setter(log, 2))
    assert not stack.is_clean()
    stack.undo()
    assert stack.is_clean()
    stack.undo()
    stack.push(setter(log, 3))  # the saved state was undone and is now out of reach
    assert not stack.is_clean()
    stack.clear()
    assert stack.is_clean() and not stack.can_undo()


def test_a_merge_into_the_saved_step_leaves_the_saved_state():
    log: list[int] = []
    stack = CommandStack()
    stack.push(setter(log, 1, key="k"))
    stack.mark_clean()
    stack.push(setter(log, 2, key="k"))
    assert not stack.is_clean()


def test_a_command_may_not_push_another():
    stack = CommandStack()
    inner = Command("inner", lambda: None, lambda: None)
    with pytest.raises(RuntimeError, match="pushed another command"):
        stack.push(Command("outer", lambda: stack.push(inner), lambda: None))
    assert stack.count() == 0
