"""Encrypted columns for passport and permit numbers.

The value is stored as Fernet ciphertext (so a database dump reveals nothing), and a sibling
`KeyedHashField` keeps an HMAC of the normalised value so the column can be unique and
searched by exact value without decrypting every row.
"""

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


def _fernet() -> MultiFernet:
    keys = list(settings.FIELD_ENCRYPTION_KEYS)
    if not keys:
        if not settings.DEBUG and not settings.SECRET_KEY.startswith("dev-only"):
            raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must be set.")
        # Development only: derive a stable key from the dev secret so demo data stays readable.
        keys = [base64.urlsafe_b64encode(hashlib.sha256(settings.SECRET_KEY.encode()).digest())]
    return MultiFernet([Fernet(key) for key in keys])


def _hash_key() -> bytes:
    key = settings.FIELD_HASH_KEY or (
        f"hash:{settings.SECRET_KEY}" if settings.SECRET_KEY.startswith("dev-only") else ""
    )
    if not key:
        raise ImproperlyConfigured("FIELD_HASH_KEY must be set.")
    return key.encode()


def normalise_identifier(value: str) -> str:
    """Upper-case and strip spaces and dashes: 'e1234 567' and 'E1234-567' are one passport."""
    return "".join(ch for ch in value.upper() if ch.isalnum())


def keyed_hash(value: str) -> str:
    """Return the HMAC-SHA256 (hex) of a normalised identifier, for lookups and uniqueness."""
    return hmac.new(_hash_key(), normalise_identifier(value).encode(), hashlib.sha256).hexdigest()


def encrypt_text(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt_text(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "An encrypted value cannot be read with the current keys."
        ) from exc


class EncryptedCharField(models.TextField):
    """A short secret (document number) kept as ciphertext; Python code sees plain text."""

    def __init__(self, *args, max_length: int | None = None, **kwargs):
        # The plain-text limit is validated by forms; the ciphertext is longer and unbounded.
        self.plain_max_length = max_length
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.plain_max_length is not None:
            kwargs["max_length"] = self.plain_max_length
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt_text(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_text(value)

    def get_lookup(self, lookup_name):
        # Ciphertext is randomised: only null checks make sense; look up by the hash column.
        if lookup_name not in {"isnull"}:
            return None
        return super().get_lookup(lookup_name)

    def formfield(self, **kwargs):
        from django import forms

        defaults = {"form_class": forms.CharField, "max_length": self.plain_max_length}
        defaults.update(kwargs)
        return super(models.TextField, self).formfield(**defaults)


class KeyedHashField(models.CharField):
    """The HMAC of another field of the same row, filled in on every save."""

    def __init__(self, *args, source: str = "", **kwargs):
        self.source = source
        kwargs["max_length"] = 64
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        del kwargs["max_length"]
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        plain = getattr(model_instance, self.source)
        digest = keyed_hash(plain) if plain else ""
        setattr(model_instance, self.attname, digest)
        return digest
