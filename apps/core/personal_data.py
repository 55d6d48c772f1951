"""The registry of personal-data exporters and erasers, one pair per app.

Each app registers in its AppConfig.ready(); "export my data" and account deletion call them
all, so no app's data is forgotten.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Exporter = Callable[[Any], dict[str, Any]]
Eraser = Callable[[Any], None]


@dataclass(frozen=True)
class ExportedFile:
    """A file to include in the export archive (name inside the zip, bytes)."""

    name: str
    content: bytes


@dataclass
class PersonalDataExport:
    sections: dict[str, Any] = field(default_factory=dict)
    files: list[ExportedFile] = field(default_factory=list)


_exporters: dict[str, Exporter] = {}
_erasers: dict[str, Eraser] = {}


def register_personal_data(name: str, *, exporter: Exporter, eraser: Eraser) -> None:
    """Register an app's exporter (user → JSON-safe dict) and eraser (user → None)."""
    _exporters[name] = exporter
    _erasers[name] = eraser


def registered_sections() -> list[str]:
    return sorted(_exporters)


def personal_data_export(user: Any) -> PersonalDataExport:
    """Collect every registered app's data about the user; a section may add files."""
    export = PersonalDataExport()
    for name in registered_sections():
        data = dict(_exporters[name](user))
        files = data.pop("_files", [])
        export.sections[name] = data
        export.files.extend(files)
    return export


def personal_data_erase(user: Any) -> None:
    """Run every registered eraser (each keeps what the law requires, detached from the user)."""
    for name in registered_sections():
        _erasers[name](user)
