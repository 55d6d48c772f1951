"""Template comments never reach the page."""

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

# `{# … #}` ends at the end of its line: one that spans lines is printed as text.
OPEN_COMMENT = re.compile(r"\{#(?:(?!#\}).)*$", re.MULTILINE)


def template_files():
    roots = [
        Path(settings.BASE_DIR) / "templates",
        *Path(settings.BASE_DIR, "apps").glob("*/templates"),
    ]
    return [path for root in roots for path in root.rglob("*.html")]


def test_no_single_line_comment_spans_lines():
    unclosed = [
        f"{path.relative_to(settings.BASE_DIR)}:{text[: match.start()].count(chr(10)) + 1}"
        for path in template_files()
        for text in [path.read_text(encoding="utf-8")]
        for match in OPEN_COMMENT.finditer(text)
    ]

    assert template_files()
    assert unclosed == []


def test_the_navigation_shows_no_template_comment(client, db, liaison_a):
    for signed_in in (False, True):
        if signed_in:
            client.force_login(liaison_a)
        page = client.get(reverse("home")).content.decode()
        assert "{#" not in page and "#}" not in page
