import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def evidence_upload_to(instance: "BlackListEntry", filename: str) -> str:
    suffix = filename[filename.rfind(".") :].lower()[:5] if "." in filename else ""
    return f"credit-evidence/{uuid.uuid4().hex}{suffix}"


class BlackListEntry(models.Model):
    """A teacher or a school on the credit black list for a period (audited; center only).

    The evaluations-and-credit issue adds review (four eyes), appeals and the red list on top.
    """

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    teacher = models.ForeignKey(
        "teachers.Teacher",
        verbose_name=_("teacher"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="blacklist_entries",
    )
    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("school"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="blacklist_entries",
    )
    reason = models.TextField(_("reason"))
    evidence = models.FileField(
        _("evidence"), upload_to=evidence_upload_to, max_length=200, blank=True
    )
    evidence_sha256 = models.CharField(_("evidence SHA-256"), max_length=64, blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True, help_text=_("Empty: no end."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("black-list entry")
        verbose_name_plural = _("black list")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="credit_blacklist_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(teacher__isnull=False, school__isnull=True)
                | models.Q(teacher__isnull=True, school__isnull=False),
                name="credit_blacklist_teacher_xor_school",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.teacher or self.school} ({self.starts_on}–{self.ends_on or '…'})"
