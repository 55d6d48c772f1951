"""Readable, translated labels for audit action codes: each app registers its own here."""

from collections.abc import Mapping

from django.utils.functional import Promise

_labels: dict[str, str | Promise] = {}


def register_action_labels(labels: Mapping[str, str | Promise]) -> None:
    """Register an app's action code → lazy label mapping (call from AppConfig.ready)."""
    _labels.update(labels)


def action_label(code: str) -> str:
    """Return the action's label in the active language; an unregistered code as stored."""
    label = _labels.get(code)
    return str(label) if label is not None else code
