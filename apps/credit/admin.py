from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.core.exports import attachment_response
from apps.core.services import audit_record
from apps.teachers.uploads import inspect_upload

from .models import BlackListEntry
from .services import blacklist_entry_create, blacklist_entry_update


class BlackListEntryForm(forms.ModelForm):
    change_note = forms.CharField(
        label=_("Why this change"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    class Meta:
        model = BlackListEntry
        fields = ["teacher", "school", "reason", "evidence", "starts_on", "ends_on"]

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk and bool(cleaned.get("teacher")) == bool(cleaned.get("school")):
            raise forms.ValidationError(_("Name either a teacher or a school."))
        return cleaned

    def clean_evidence(self):
        evidence = self.cleaned_data.get("evidence")
        if evidence and not self.instance.pk:
            inspect_upload(evidence)
        return evidence


@admin.register(BlackListEntry)
class BlackListEntryAdmin(admin.ModelAdmin):
    form = BlackListEntryForm
    list_display = ["teacher", "school", "starts_on", "ends_on", "created_by", "created_at"]
    list_filter = [("starts_on", admin.DateFieldListFilter), "ends_on"]
    search_fields = ["teacher__legal_name", "school__name_zh_hans", "school__name_en", "reason"]
    list_select_related = ["teacher", "school", "created_by"]
    autocomplete_fields = ["teacher", "school"]
    readonly_fields = ["evidence_link", "evidence_sha256", "created_by", "created_at"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["teacher", "school", "reason", "evidence", "starts_on", "ends_on"]
        return [
            "teacher",
            "school",
            "reason",
            "starts_on",
            "ends_on",
            "change_note",
            "evidence_link",
            "evidence_sha256",
            "created_by",
            "created_at",
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [*self.readonly_fields, "teacher", "school", "starts_on"]

    def has_delete_permission(self, request, obj=None) -> bool:
        # Entries are ended, never deleted: the history is part of the credit record.
        return False

    @admin.display(description=_("evidence"))
    def evidence_link(self, obj):
        if not obj.evidence:
            return "–"
        url = reverse("admin:credit_blacklistentry_evidence", args=[obj.code])
        return format_html('<a href="{}">{}</a>', url, _("Download"))

    def get_urls(self):
        extra = [
            path(
                "<uuid:code>/evidence/",
                self.admin_site.admin_view(self.evidence_view),
                name="credit_blacklistentry_evidence",
            )
        ]
        return extra + super().get_urls()

    def evidence_view(self, request, code):
        if not request.user.is_center_staff:
            raise PermissionDenied
        entry = get_object_or_404(BlackListEntry, code=code)
        if not entry.evidence:
            raise Http404
        audit_record(actor=request.user, action="credit.blacklist.evidence", target=entry)
        return attachment_response(entry.evidence, filename=f"evidence-{entry.code}")

    def save_model(self, request, obj, form, change) -> None:
        data = form.cleaned_data
        try:
            if change:
                saved = blacklist_entry_update(
                    actor=request.user,
                    entry=obj,
                    reason=data["reason"],
                    ends_on=data["ends_on"],
                    note=data.get("change_note", ""),
                )
            else:
                saved = blacklist_entry_create(
                    actor=request.user,
                    teacher=data.get("teacher"),
                    school=data.get("school"),
                    reason=data["reason"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    evidence=data.get("evidence") or None,
                )
        except ValidationError as exc:
            # The form already validated; a service refusal here is a programming error.
            raise ValueError(exc.messages) from exc
        obj.pk = saved.pk
        obj.refresh_from_db()
