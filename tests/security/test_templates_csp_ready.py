"""Templates stay ready for a strict Content-Security-Policy: no inline script, no handlers."""

import re
from pathlib import Path

from django.conf import settings

# An executable inline script: a <script> without src whose type is not a JSON data block.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")")
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"(?:href|src|action)\s*=\s*[\"']\s*javascript:", re.IGNORECASE)


def project_templates() -> list[Path]:
    base = Path(settings.BASE_DIR)
    return sorted([*base.glob("templates/**/*.html"), *base.glob("apps/*/templates/**/*.html")])


def test_no_template_has_inline_script_or_event_handlers():
    offenders = []
    for path in project_templates():
        text = path.read_text("utf-8")
        for pattern in (INLINE_SCRIPT, EVENT_HANDLER, JAVASCRIPT_URL):
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{line}")
    assert len(project_templates()) > 50
    assert not offenders, "move scripts into static/js (CSP): " + ", ".join(offenders)
