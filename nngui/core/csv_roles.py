"""The role of each column of a CSV table: input, target or ignored, and which it may take.

A numeric or categorical column with at least two distinct values may be an input (categories
one-hot) or a target (a numeric one regressed, a categorical one classified: a label column);
text, empty and constant columns can only be ignored. ``default_roles`` proposes what an
import view starts with: the last usable column the target, every other usable column an
input; roles chosen before are kept for the columns still there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from nngui.core.csv_source import formatted_hint
from nngui.core.csv_table import Column, Table

ROLES = ("input", "target", "ignore")


@dataclass(frozen=True)
class RoleChoice:
    """The roles a column may take, and why the others are out (empty when all are open)."""

    roles: tuple[str, ...]
    reason: str = ""


def role_choice(c: Column) -> RoleChoice:
    """What column ``c`` may be."""
    if c.kind == "empty":
        return RoleChoice(("ignore",), "empty: no row holds a value")
    if c.kind == "text":
        return RoleChoice(
            ("ignore",),
            f"text with {c.distinct:,} different values (names, identifiers or free text, too "
            f"many for categories): it cannot be used{formatted_hint(c)}",
        )
    if c.distinct < 2:
        return RoleChoice(("ignore",), "every row holds the same value: it tells nothing")
    # Categories: one-hot as inputs, classes as a target (number codes may be regressed).
    return RoleChoice(ROLES)


def default_roles(table: Table, previous: Mapping[str, str] | None = None) -> dict[str, str]:
    """A role per column (see the module docstring); ``previous`` roles win where allowed."""
    previous = previous or {}
    choices = {c.name: role_choice(c) for c in table.columns}
    roles = {
        name: previous[name] if previous.get(name) in choice.roles else ""
        for name, choice in choices.items()
    }
    if "target" not in roles.values():
        numeric = [c.name for c in table.columns if "target" in choices[c.name].roles]  # usable
        if numeric and not roles[numeric[-1]]:
            roles[numeric[-1]] = "target"
    for name, role in roles.items():
        if not role:
            roles[name] = "input" if "input" in choices[name].roles else "ignore"
    return roles


def chosen(roles: Mapping[str, str], role: str) -> tuple[str, ...]:
    """The columns given ``role``, in the file's order."""
    return tuple(name for name, r in roles.items() if r == role)
