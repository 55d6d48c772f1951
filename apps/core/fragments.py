"""Rendered fragments that hold forms, cached once and shared between the users who see them.

`{% cache %}` keeps a fragment as rendered, so a form in it would carry the CSRF token of the
first visitor. A fragment cached here is rendered with a placeholder where `{% csrf_token %}`
puts the token, and each request fills in its own token on the way out.
"""

from collections.abc import Mapping
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

# What `{% csrf_token %}` writes into a cached fragment: letters only, as a real token is,
# and nothing a page could otherwise contain.
CSRF_PLACEHOLDER = "cachedfragmentcsrfplaceholder"


def fragment_with_forms(
    request: HttpRequest,
    *,
    template_name: str,
    context: Mapping[str, Any],
    key: str,
    seconds: int,
) -> SafeString:
    """Return the template rendered with `context`, cached under `key` and the language.

    The template is rendered without the request (no context processors): the key must name
    everything it shows but the CSRF token, which is the request's own.
    """
    full_key = f"fragment:{get_language()}:{key}"
    html = cache.get(full_key)
    if html is None:
        html = render_to_string(template_name, {**context, "csrf_token": CSRF_PLACEHOLDER})
        cache.set(full_key, html, seconds)
    # Only the hidden field's value: escaped text a user typed never holds a quotation mark.
    # The token is letters and digits (django.middleware.csrf): nothing to escape.
    field = 'name="csrfmiddlewaretoken" value="{}"'
    filled = html.replace(field.format(CSRF_PLACEHOLDER), field.format(get_token(request)))
    return mark_safe(filled)  # noqa: S308
