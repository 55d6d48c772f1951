from django.contrib import admin
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.core.admin import AddDisabledMixin, ObjectAction, ObjectActionsMixin, run_action

from .. import services
from ..models import Document, DocumentStatus, Teacher
from .common import ReasonActionForm, file_deleted_label, run_reject_action


@admin.register(Document)
class DocumentAdmin(AddDisabledMixin, ObjectActionsMixin, admin.ModelAdmin):
    """The center verifies or rejects uploaded documents; teachers upload them in the portal."""

    target_name = "document"
    object_actions = (
        ObjectAction(
            name="verify",
            label=_("Verify the document"),
            service=services.document_verify,
            done_message=_("%(count)s verified."),
            shown=lambda document: document.status == DocumentStatus.UPLOADED,
        ),
    )
    action_form = ReasonActionForm
    list_display = ["teacher", "kind", "status", "expires_on", "uploaded_at", "verified_by"]
    list_filter = ["status", "kind", "teacher__category", "authentication"]
    search_fields = ["teacher__legal_name", "sha256"]
    list_select_related = ["teacher", "verified_by"]
    actions = ["verify", "reject"]
    fields = [
        "teacher",
        "kind",
        "status",
        "object_action_buttons",
        "preview",
        "original_name",
        "content_type",
        "size",
        "sha256",
        "same_file",
        "issuing_country",
        "issued_on",
        "expires_on",
        "authentication",
        "rejection_reason",
        "rejection_note",
        "uploaded_at",
        "uploaded_by",
        "verified_at",
        "verified_by",
        "file_deleted_at",
    ]
    readonly_fields = fields

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("file"))
    def preview(self, obj):
        if obj.file_deleted_at:
            return file_deleted_label(obj)
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a> · <a href="{}">{}</a>',
            reverse("teachers:document_preview", args=[obj.code]),
            _("Preview"),
            reverse("teachers:document_download", args=[obj.code]),
            _("Download"),
        )

    @admin.display(description=_("same file on other accounts"))
    def same_file(self, obj):
        others = Teacher.objects.filter(
            Q(documents__sha256=obj.sha256) & ~Q(pk=obj.teacher_id)
        ).distinct()
        return ", ".join(str(t) for t in others) or "–"

    @admin.action(description=_("Verify the documents"))
    def verify(self, request, queryset):
        run_action(self, request, queryset, services.document_verify, _("%(count)s verified."))

    @admin.action(description=_("Reject the documents (choose a reason)"))
    def reject(self, request, queryset):
        run_reject_action(self, request, queryset, services.document_reject)
