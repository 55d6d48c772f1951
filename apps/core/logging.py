"""A logging filter that keeps personal data out of the logs (attached to every handler)."""

import logging
import re

# Search boxes that take a passport or permit number, a name or an email: their query strings
# are dropped from any logged request line.
SEARCH_PATHS = re.compile(r"(/admin/[^\s?\"']*|/matching/explain/[^\s?\"']*)\?[^\s\"']*")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Mainland mobile numbers and international numbers written with a leading +.
PHONE = re.compile(r"(?<![\w-])(?:\+\d[\d \-]{7,16}\d|1[3-9]\d{9})(?!\w)")


def redact(text: str) -> str:
    """Return the text with search query strings, emails and phone numbers blanked out."""
    text = SEARCH_PATHS.sub(r"\1?[redacted]", text)
    text = EMAIL.sub("[email]", text)
    return PHONE.sub("[phone]", text)


class RedactPersonalData(logging.Filter):
    """Rewrite each record's message (and exception text) without personal data."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
