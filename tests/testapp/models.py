from django.db import models

from apps.core.fields import EncryptedCharField, KeyedHashField


class SecretDocument(models.Model):
    holder = models.CharField(max_length=100)
    number = EncryptedCharField(max_length=40, blank=True)
    number_hash = KeyedHashField(source="number", db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["number_hash"],
                condition=~models.Q(number_hash=""),
                name="testapp_secretdocument_unique_number",
            )
        ]


class BulkRow(models.Model):
    key = models.CharField(max_length=40, unique=True)
    amount = models.IntegerField()
    active = models.BooleanField(default=True)
    note = models.TextField(blank=True, null=True)
    payload = models.JSONField(default=dict)
    recorded_at = models.DateTimeField(null=True, blank=True)
