"""The portal's name and address as people read them in emails and the sites framework."""

from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext, gettext_noop

# The defaults of settings.SITE_NAME and settings.ACCOUNT_EMAIL_SUBJECT_PREFIX, named here so
# that they are in the catalogue and each reader gets them in their language.
DEFAULT_TEXTS = (
    gettext_noop("Hangzhou Foreign Teacher Resource Service Network"),
    gettext_noop("[Hangzhou Foreign Teachers] "),
)


def site_name() -> str:
    """Return settings.SITE_NAME in the active language (a custom name as written)."""
    return gettext(settings.SITE_NAME) if settings.SITE_NAME else ""


def site_domain() -> str:
    """Return the host (and port) of settings.SITE_URL, e.g. waijiao.example.org."""
    return urlsplit(settings.SITE_URL).netloc


def email_subject(subject: str) -> str:
    """Return the subject behind the translated prefix ("[Hangzhou Foreign Teachers] …")."""
    prefix = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX or ""
    # gettext("") would return the catalogue's header, not an empty prefix.
    return f"{gettext(prefix) if prefix else ''}{subject}"
