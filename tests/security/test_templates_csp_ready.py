"""Templates and the HTML they serve keep to the Content-Security-Policy: nothing inline.

No inline script or style element without the request's nonce, no style="" attribute (the
policy blocks them: widths come from static/js/portal.js), no event handler, no javascript:
URL, no hx-on (htmx would need 'unsafe-eval').
"""

import re
from pathlib import Path

from django.conf import settings

# An executable inline script: a <script> without src whose type is not a JSON data block.
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.IGNORECASE
)
STYLE_ELEMENT = re.compile(r"<style\b[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=\s*[\"']", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"(?:href|src|action)\s*=\s*[\"']\s*javascript:", re.IGNORECASE)
HX_ON = re.compile(r"\s(?:data-)?hx-on\b", re.IGNORECASE)
NONCE = re.compile(r"\bnonce=\"([^\"]*)\"")
TEMPLATE_COMMENT = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.DOTALL)
# Sent by email, never served over HTTP: mail clients need inline styles.
NOT_SERVED = {"apps/notifications/templates/notifications/email.html"}


def project_templates() -> list[Path]:
    base = Path(settings.BASE_DIR)
    return sorted([*base.glob("templates/**/*.html"), *base.glob("apps/*/templates/**/*.html")])


def inline_problems(html: str, nonce: str | None = None) -> list[tuple[int, str]]:
    """(offset, what) for each inline script, style or handler that the policy would refuse.

    With a nonce (served HTML), inline script and style elements must carry exactly it; without
    one (template source), they must carry a nonce attribute at all.
    """
    found = []
    for pattern in (INLINE_SCRIPT, STYLE_ELEMENT):
        for match in pattern.finditer(html):
            carried = NONCE.search(match.group())
            if carried is None or (nonce is not None and carried.group(1) != nonce):
                found.append((match.start(), match.group()))
    for pattern in (STYLE_ATTRIBUTE, EVENT_HANDLER, JAVASCRIPT_URL, HX_ON):
        found.extend((match.start(), match.group().strip()) for match in pattern.finditer(html))
    return found


def test_no_template_has_inline_script_style_or_event_handlers():
    offenders = []
    for path in project_templates():
        name = str(path.relative_to(settings.BASE_DIR))
        if name in NOT_SERVED:
            continue
        # Comments may name what they forbid; blank them out, keeping the line numbers.
        text = TEMPLATE_COMMENT.sub(lambda m: "\n" * m.group().count("\n"), path.read_text("utf-8"))
        for offset, what in inline_problems(text):
            offenders.append(f"{name}:{text.count(chr(10), 0, offset) + 1} {what}")
    assert len(project_templates()) > 50
    assert not offenders, "move scripts to static/js, styles to static/css (CSP): " + ", ".join(
        offenders
    )


def test_the_check_finds_each_kind_of_inline_code():
    html = (
        '<div style="width: 5%"><script>alert(1)</script><style nonce="old">p{}</style>'
        '<a href="javascript:go()" onclick="go()">x</a><button hx-on:click="go()"></button>'
        '<script type="application/json">{}</script><script src="/static/js/a.js"></script>'
        '<style nonce="fresh">p{}</style><script nonce="fresh">go()</script></div>'
    )
    found = [what for _offset, what in inline_problems(html, nonce="fresh")]
    assert found == [
        "<script>",
        '<style nonce="old">',
        'style="',
        'onclick="',
        'href="javascript:',
        "hx-on",
    ]
