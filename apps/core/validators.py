"""Field validators shared by apps: model fields carry them, so forms and services agree."""

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

PHONE_CHARACTERS = re.compile(r"^\+?[\d\s()\-]+$")
# A Chinese landline with area code has 11–12 digits, a mobile 11, with +86 up to 13; an
# extension adds a few. Fewer than 7 digits is no reachable number anywhere.
PHONE_MIN_DIGITS, PHONE_MAX_DIGITS = 7, 20


@deconstructible
class PhoneNumberValidator:
    """Accept a phone number written with digits, spaces, dashes, brackets and a leading +."""

    message = _(
        "Enter a phone number with digits only, for example 0571-88001234 or +86 138 0013 8000."
    )
    code = "invalid_phone"

    def __call__(self, value: str) -> None:
        text = (value or "").strip()
        digits = sum(ch.isdigit() for ch in text)
        if not PHONE_CHARACTERS.match(text) or not PHONE_MIN_DIGITS <= digits <= PHONE_MAX_DIGITS:
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, PhoneNumberValidator)


validate_phone_number = PhoneNumberValidator()
