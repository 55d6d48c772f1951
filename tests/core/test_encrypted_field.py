import pytest
from django.db import IntegrityError, connection

from apps.core.fields import keyed_hash
from tests.testapp.models import SecretDocument


@pytest.mark.django_db
def test_value_is_ciphertext_at_rest_and_plain_in_python():
    document = SecretDocument.objects.create(holder="Emma", number="E1234567")

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT number, number_hash FROM testapp_secretdocument WHERE id = %s", [document.pk]
        )
        stored, stored_hash = cursor.fetchone()

    assert "E1234567" not in stored
    assert stored.startswith("gAAAA")  # a Fernet token
    assert stored_hash == keyed_hash("E1234567")
    assert SecretDocument.objects.get(pk=document.pk).number == "E1234567"


@pytest.mark.django_db
def test_lookup_by_keyed_hash_ignores_spaces_case_and_dashes():
    document = SecretDocument.objects.create(holder="Emma", number="E1234567")

    found = SecretDocument.objects.get(number_hash=keyed_hash(" e123-4567 "))

    assert found == document


@pytest.mark.django_db
def test_the_same_number_twice_is_refused_by_the_hash_constraint():
    SecretDocument.objects.create(holder="Emma", number="E1234567")

    with pytest.raises(IntegrityError):
        SecretDocument.objects.create(holder="Impostor", number="e 1234567")


@pytest.mark.django_db
def test_ciphertext_cannot_be_searched_directly():
    with pytest.raises(Exception, match="Unsupported lookup"):
        SecretDocument.objects.filter(number="E1234567").count()


@pytest.mark.django_db
def test_empty_values_stay_empty_and_have_no_hash():
    document = SecretDocument.objects.create(holder="Emma", number="")

    document.refresh_from_db()
    assert (document.number, document.number_hash) == ("", "")
    SecretDocument.objects.create(holder="Also empty", number="")  # no uniqueness clash


def test_encryption_keys_rotate(settings):
    from cryptography.fernet import Fernet

    from apps.core.fields import decrypt_text, encrypt_text

    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    token = encrypt_text("P0000001")
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), old_key]

    assert decrypt_text(token) == "P0000001"
