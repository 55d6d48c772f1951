"""History notes the system writes: kept as a code plus parameters, read in the reader's language.

A history row (application events, vacancy events, …) stores what a person typed as text, but a
note the system writes is stored as ``note_code`` + ``note_params`` and rendered when a page is
shown, so a teacher reading in English never sees a note written while a Chinese-speaking school
user was acting. Each app declares its notes as a ``TextChoices`` next to its event model.
"""

from collections.abc import Mapping
from typing import Any

from django.db import models


def note_render(
    notes: type[models.TextChoices], *, code: str, params: Mapping[str, Any] | None, typed: str
) -> str:
    """Render a history note in the active language: the system note, then any typed text."""
    parts = []
    if code in notes.values:
        text = notes(code).label
        parts.append(str(text % dict(params)) if params else str(text))
    elif code:
        # A code this version no longer knows: show the code rather than nothing.
        parts.append(code)
    if typed:
        parts.append(typed)
    return " ".join(parts)
