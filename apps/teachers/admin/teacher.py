"""The review queue of teacher profiles: filters, verify/reject, preview links and history."""

import copy

from django import forms
from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from apps.core.admin import (
    AddDisabledMixin,
    ObjectAction,
    ObjectActionsMixin,
    ReadOnlyInline,
    run_action,
)
from apps.core.audit_labels import action_label

from .. import selectors, services
from ..forms import M2M_FIELDS
from ..models import (
    IDENTITY_KEY_FIELDS,
    QUALIFICATION_FIELDS,
    Document,
    Experience,
    Teacher,
    TeacherStatus,
    TeachingCertificate,
)
from ..steps import PROFILE_STEPS
from .common import (
    DeletionRequestedFilter,
    DuplicateFilter,
    NationalityFilter,
    ReasonActionForm,
    file_deleted_label,
    run_reject_action,
)


class CertificateInline(ReadOnlyInline):
    model = TeachingCertificate
    fields = ["kind", "hours", "issuing_country", "year"]
    readonly_fields = fields


class ExperienceInline(ReadOnlyInline):
    model = Experience
    fields = ["school", "country", "started_on", "ended_on", "subjects"]
    readonly_fields = fields


class DocumentInline(ReadOnlyInline):
    model = Document
    fields = ["kind", "status", "expires_on", "uploaded_at", "links", "duplicate"]
    readonly_fields = fields
    ordering = ["kind", "-uploaded_at"]

    @admin.display(description=_("file"))
    def links(self, obj):
        if obj.file_deleted_at:
            return file_deleted_label(obj)
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a> · <a href="{}">{}</a> · '
            '<a href="{}">{}</a>',
            reverse("teachers:document_preview", args=[obj.code]),
            _("Preview"),
            reverse("teachers:document_download", args=[obj.code]),
            _("Download"),
            reverse("admin:teachers_document_change", args=[obj.pk]),
            _("Review"),
        )

    def get_queryset(self, request):
        same_file_elsewhere = Document.objects.filter(sha256=OuterRef("sha256")).exclude(
            teacher=OuterRef("teacher")
        )
        return super().get_queryset(request).annotate(_duplicate=Exists(same_file_elsewhere))

    @admin.display(description=_("same file elsewhere"), boolean=True)
    def duplicate(self, obj):
        return obj._duplicate


class TeacherAdminForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        # The service's profile checks, shown on the admin fields before anything is saved.
        probe = copy.copy(self.instance)
        for name, value in cleaned.items():
            if name not in M2M_FIELDS:
                setattr(probe, name, value)
        services.teacher_profile_validate(probe)
        return cleaned


@admin.register(Teacher)
class TeacherAdmin(AddDisabledMixin, ObjectActionsMixin, admin.ModelAdmin):
    """The center reviews teachers here; teachers sign themselves up in the portal."""

    form = TeacherAdminForm
    target_name = "teacher"
    object_actions = (
        ObjectAction(
            name="verify",
            label=_("Verify the profile and its uploaded documents"),
            service=services.teacher_verify,
            done_message=_("%(count)s verified."),
            shown=lambda teacher: teacher.status == TeacherStatus.PENDING,
        ),
    )
    action_form = ReasonActionForm
    list_display = [
        "legal_name",
        "category",
        "nationality",
        "status",
        "submitted_at",
        "verified_by",
        "user",
    ]
    list_filter = [
        "status",
        "category",
        NationalityFilter,
        "preferred_districts",
        DuplicateFilter,
        DeletionRequestedFilter,
    ]
    search_fields = ["legal_name", "user__email", "=passport_number_hash"]
    list_select_related = ["user", "verified_by"]
    ordering = ["status", "submitted_at"]
    actions = ["verify", "reject", "confirm_deletion"]
    inlines = [CertificateInline, ExperienceInline, DocumentInline]
    filter_horizontal = ["native_languages", "subjects", "levels", "preferred_districts"]
    fieldsets = [
        (
            _("Review"),
            {
                "fields": [
                    "status",
                    "object_action_buttons",
                    "submitted_at",
                    "verified_at",
                    "verified_by",
                    "rejection_reason",
                    "rejection_note",
                    "duplicates",
                    "deletion_requested_at",
                    "erased_at",
                    "user",
                    "code",
                ]
            },
        ),
        (
            _("Identity (changing these sends a verified teacher back to review)"),
            {"fields": list(IDENTITY_KEY_FIELDS)},
        ),
        (
            _("Personal details"),
            {
                "fields": [
                    "gender",
                    "native_languages",
                    "chinese_level",
                    "current_country",
                    "current_city",
                    "timezone",
                ]
            },
        ),
        (
            _("Category and education"),
            {"fields": list(QUALIFICATION_FIELDS)},
        ),
        (
            _("Teaching preferences"),
            {
                "classes": ["collapse"],
                "fields": [
                    "subjects",
                    "levels",
                    "preferred_districts",
                    "earliest_start",
                    "salary_min",
                    "salary_max",
                    "bio",
                    "open_to_suggestions",
                ],
            },
        ),
        (
            _("History"),
            {"fields": ["history", "completed_steps_display", "created_at", "updated_at"]},
        ),
    ]
    readonly_fields = [
        "code",
        "user",
        "status",
        "object_action_buttons",
        "completed_steps_display",
        "submitted_at",
        "verified_at",
        "verified_by",
        "rejection_reason",
        "rejection_note",
        "deletion_requested_at",
        "erased_at",
        "duplicates",
        "history",
        "created_at",
        "updated_at",
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "passport_number":
            kwargs["widget"] = forms.TextInput
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_search_results(self, request, queryset, search_term):
        # The passport hash lets staff find an account by its passport number.
        queryset, distinct = super().get_search_results(request, queryset, search_term)
        if search_term:
            from apps.core.fields import keyed_hash

            queryset |= self.model.objects.filter(passport_number_hash=keyed_hash(search_term))
        return queryset, distinct

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET" and object_id:
            teacher = self.get_object(request, object_id)
            if teacher is not None:
                # Center views of the full passport number are audited.
                services.teacher_identity_view_record(actor=request.user, teacher=teacher)
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("duplicates"))
    def duplicates(self, obj):
        found = selectors.teacher_duplicates(teacher=obj)
        others = {t.pk: t for t in [*found["passport"], *found["files"]]}
        if not others:
            return "–"
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (reverse("admin:teachers_teacher_change", args=[t.pk]), str(t))
                for t in others.values()
            ),
        )

    @admin.display(description=_("completed steps"))
    def completed_steps_display(self, obj) -> str:
        # Stored as slugs; the center reads the steps' titles, in the profile's order.
        done = set(obj.completed_steps or [])
        return "; ".join(str(step.title) for step in PROFILE_STEPS if step.slug in done) or "–"

    @admin.display(description=_("history"))
    def history(self, obj):
        rows = selectors.teacher_history(teacher=obj)[:50]
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} · {} · {} {}</li>",
                (
                    (
                        timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M"),
                        e.actor or "–",
                        action_label(e.action),
                        e.reason,
                    )
                    for e in rows
                ),
            ),
        )

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            super().save_model(request, obj, form, change)
            return
        values = {n: form.cleaned_data[n] for n in form.changed_data if n not in M2M_FIELDS}
        m2m = {n: form.cleaned_data[n] for n in form.changed_data if n in M2M_FIELDS}
        services.teacher_update(actor=request.user, teacher=obj, values=values, m2m=m2m)
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change) -> None:
        if not change:
            super().save_related(request, form, formsets, change)
            return
        # The many-to-many fields were saved (and audited) by teacher_update in save_model;
        # form.save_m2m() would write them again behind the audit trail. Inlines save as usual.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    @admin.action(description=_("Verify the profile and its uploaded documents"))
    def verify(self, request, queryset):
        run_action(self, request, queryset, services.teacher_verify, _("%(count)s verified."))

    @admin.action(description=_("Reject the profile (choose a reason)"))
    def reject(self, request, queryset):
        run_reject_action(self, request, queryset, services.teacher_reject)

    @admin.action(description=_("Confirm account deletion (records stay, login removed)"))
    def confirm_deletion(self, request, queryset):
        run_action(
            self,
            request,
            queryset,
            services.teacher_account_delete,
            _("%(count)s accounts deleted."),
        )
