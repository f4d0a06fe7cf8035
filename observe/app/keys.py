"""The keys a screen, widget or the app declares, read through Textual's public API.

Each key is declared once, as a ``Binding`` in a class's ``BINDINGS``, with its label
(``description``) and its line of help (``tooltip``); the footer, F1 (screens/help.py) and
the command palette (application.py) all read it from there.
"""

from __future__ import annotations

from textual.actions import ActionError, parse
from textual.binding import Binding
from textual.dom import DOMNode


def declared_bindings(node: DOMNode, *, own_only: bool = False) -> list[Binding]:
    """The bindings of ``node``'s class and its bases, one per key, a subclass's winning.

    ``own_only``: only those declared by observe's own classes, not Textual's (the generic
    Screen and App keys, a widget's built-in ones).
    """
    by_key: dict[str, Binding] = {}
    for cls in reversed(type(node).__mro__):
        if own_only and cls.__module__.startswith("textual."):
            continue
        for binding in Binding.make_bindings(cls.__dict__.get("BINDINGS", [])):
            by_key[binding.key] = binding  # in the base's place, as Textual merges them
    return list(by_key.values())


def bound_keys(node: DOMNode) -> set[str]:
    return {binding.key for binding in declared_bindings(node)}


def action_state(node: DOMNode, action: str) -> bool | None:
    """What ``check_action`` answers for ``action`` on its target: False hides the key,
    None shows it disabled, True enables it."""
    try:
        namespace, name, parameters = parse(action)
    except ActionError:
        return False
    target: DOMNode = node
    if namespace == "app":
        target = node.app
    elif namespace == "screen":
        target = node.screen
    elif namespace:
        return True  # a namespace of Textual's own: its keys are always offered
    return target.check_action(name, parameters)
