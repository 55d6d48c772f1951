from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from .audit_labels import action_label
from .models import (
    AuditEvent,
    District,
    Language,
    PolicySettings,
    SchoolType,
    Subject,
    TeachingLevel,
)
from .services import policy_settings_update, reference_data_changed


def run_action(modeladmin, request, queryset, service, done_message=None, **kwargs) -> list:
    """Run an admin bulk action through its service, one object at a time; return those done.

    The service gets the object as ``modeladmin.target_name``. A ValidationError is shown
    against its object and the rest go on; PermissionDenied stops the whole action.
    """
    done = []
    for obj in queryset:
        try:
            service(actor=request.user, **{modeladmin.target_name: obj}, **kwargs)
        except ValidationError as exc:
            modeladmin.message_user(request, f"{obj}: {' '.join(exc.messages)}", messages.ERROR)
        except PermissionDenied:
            modeladmin.message_user(request, _("Only center staff may do this."), messages.ERROR)
            return done
        else:
            done.append(obj)
    if done and done_message:
        modeladmin.message_user(request, done_message % {"count": len(done)}, messages.SUCCESS)
    return done


class AddDisabledMixin:
    """Nobody adds rows by hand here: they come from the portal through its services."""

    # One signature for ModelAdmin (request) and InlineModelAdmin (request, obj).
    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdminMixin(AddDisabledMixin):
    """A record to read: no add, change or delete in admin."""

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    """An inline listing related rows that only their services write."""

    extra = 0
    can_delete = False


@dataclass(frozen=True)
class ObjectAction:
    """A button on an object's change page that runs a service, as the bulk action does."""

    name: str
    label: str
    service: Callable
    done_message: str
    shown: Callable[[object], bool] = lambda obj: True
    # Extra service arguments read from the posted change form (e.g. a typed reason).
    arguments: Callable = field(default=lambda request: {})


class ObjectActionsMixin:
    """Add `object_actions` as POST buttons on the change page (show `object_action_buttons`).

    The buttons submit the change form to their own URL (HTML formaction), so they carry the
    CSRF token and any typed field; the service runs through run_action, so errors and
    permissions read as they do for the list's bulk action.
    """

    object_actions: tuple[ObjectAction, ...] = ()

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        extra = [
            path(
                f"<path:object_id>/{action.name}/",
                self.admin_site.admin_view(self._object_action_view),
                {"action_name": action.name},
                name="{}_{}_{}".format(*info, action.name),
            )
            for action in self.object_actions
        ]
        return extra + super().get_urls()

    def _object_action_view(self, request, object_id, action_name):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        action = next(a for a in self.object_actions if a.name == action_name)
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        run_action(
            self, request, [obj], action.service, action.done_message, **action.arguments(request)
        )
        info = self.opts.app_label, self.opts.model_name
        return redirect("admin:{}_{}_change".format(*info), quote(obj.pk))

    @admin.display(description=_("decision"))
    def object_action_buttons(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        info = self.opts.app_label, self.opts.model_name
        buttons = [
            (
                reverse("admin:{}_{}_{}".format(*info, action.name), args=[quote(obj.pk)]),
                action.name,
                action.label,
            )
            for action in self.object_actions
            if action.shown(obj)
        ]
        if not buttons:
            return "—"
        return format_html_join(
            " ",
            '<button type="submit" class="button" formaction="{}" name="_{}">{}</button>',
            buttons,
        )


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "created_at",
        "actor",
        "action_display",
        "action",
        "target_type",
        "target_repr",
        "reason",
    ]
    list_filter = ["action", "target_type", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["action", "target_repr", "target_id", "actor__email", "reason"]
    list_select_related = ["actor", "target_type"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    @admin.display(description=_("what happened"), ordering="action")
    def action_display(self, event: AuditEvent) -> str:
        return action_label(event.action)


@admin.register(PolicySettings)
class PolicySettingsAdmin(admin.ModelAdmin):
    readonly_fields = ["updated_at"]
    fieldsets = [
        (
            _("Clusters and exchanges"),
            {"fields": ["max_cluster_members", "exchange_visit_max_months"]},
        ),
        (_("Interns"), {"fields": ["intern_months", "intern_max_months"]}),
        (
            _("Quarterly evaluations"),
            {
                "fields": [
                    "evaluation_deadline_days",
                    "evaluation_reminder_days",
                    "change_registration_days",
                ]
            },
        ),
        (
            _("Admission standard"),
            {
                "fields": [
                    "age_limit",
                    "min_teaching_experience_years",
                    "min_certificate_hours",
                    "criminal_record_validity_months",
                    "start_tolerance_days",
                ]
            },
        ),
        (
            _("Reminders and privacy"),
            {
                "fields": [
                    "idle_application_school_days",
                    "idle_application_center_days",
                    "survey_privacy_threshold",
                    "invitation_valid_days",
                    "document_reminder_days",
                ]
            },
        ),
        (
            _("Procedures and their clocks"),
            {
                "fields": [
                    "work_permit_decision_working_days",
                    "accommodation_registration_hours",
                    "work_permit_card_days",
                    "residence_permit_days",
                    "permit_renewal_days_before_expiry",
                    "work_permit_cancellation_working_days",
                    "health_certificate_validity_months",
                    "china_graduate_window_months",
                    "short_term_work_max_days",
                    "guidance_reminder_days",
                ]
            },
        ),
        (
            _("Credit and star levels"),
            {
                "fields": [
                    "star_window_quarters",
                    "star_min_quarters",
                    "star_cap_general_record",
                    "credit_objection_working_days",
                    "credit_objection_answer_working_days",
                    "credit_objection_answer_max_working_days",
                    ("credit_minor_min_months", "credit_minor_max_months"),
                    ("credit_general_min_months", "credit_general_max_months"),
                    ("credit_serious_min_months", "credit_serious_max_months"),
                    "credit_commendation_months",
                    "credit_deletion_years",
                ]
            },
        ),
        (
            _("Recognition lists"),
            {
                "fields": [
                    "permit_recommendation_min_stars",
                    "permit_recommendation_min_quarters",
                    "permit_recommendation_min_years",
                    "friendship_award_min_stars",
                    "friendship_award_min_quarters",
                    "friendship_award_min_years",
                ]
            },
        ),
        (_("Statistics"), {"fields": ["coverage_target_percent"]}),
        (
            _("Retention of personal data"),
            {"fields": ["expired_document_keep_days", "employment_records_keep_years"]},
        ),
        (None, {"fields": ["updated_at"]}),
    ]

    def has_add_permission(self, request) -> bool:
        return not PolicySettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        # Through the service, so every change of a policy number is audited.
        values = {name: form.cleaned_data[name] for name in form.changed_data}
        policy_settings_update(actor=request.user, **values)


class ReferenceAdmin(TranslationAdmin):
    list_display = ["code", "name", "sort_order"]
    list_editable = ["sort_order"]
    search_fields = ["code", "name_en", "name_zh_hans"]

    # Search forms cache these lists: every edit retires the cached copies.
    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        reference_data_changed()

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        reference_data_changed()

    def delete_queryset(self, request, queryset) -> None:
        super().delete_queryset(request, queryset)
        reference_data_changed()


@admin.register(District)
class DistrictAdmin(ReferenceAdmin):
    list_display = ["code", "name", "kind", "sort_order"]
    list_filter = ["kind"]


@admin.register(TeachingLevel)
class TeachingLevelAdmin(ReferenceAdmin):
    pass


@admin.register(SchoolType)
class SchoolTypeAdmin(ReferenceAdmin):
    filter_horizontal = ["levels"]


@admin.register(Language)
class LanguageAdmin(ReferenceAdmin):
    list_display = ["code", "name", "native_countries", "sort_order"]


@admin.register(Subject)
class SubjectAdmin(ReferenceAdmin):
    list_display = ["code", "name", "group", "language", "sort_order"]
    list_filter = ["group"]
    list_select_related = ["language"]
