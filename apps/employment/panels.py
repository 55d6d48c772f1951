"""Panels higher layers add to an employment's page (guidance's checklist) without imports here."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

# Each panel takes the request and the employment and returns HTML (already rendered), or "".
Panel = Callable[[HttpRequest, Any], str]
_panels: list[Panel] = []


def register_employment_panel(panel: Panel) -> None:
    """Add a panel to the school's employment page (called from an app's ready())."""
    if panel not in _panels:
        _panels.append(panel)


def employment_panels(request: HttpRequest, employment: Any) -> list[str]:
    """Render the registered panels for one employment, in registration order."""
    return [html for panel in _panels if (html := panel(request, employment))]
