from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from .models import (
    AuditEvent,
    District,
    Language,
    PolicySettings,
    SchoolType,
    Subject,
    TeachingLevel,
)
from .services import policy_settings_update


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


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "target_type", "target_repr", "reason"]
    list_filter = ["action", "target_type", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["action", "target_repr", "target_id", "actor__email", "reason"]
    list_select_related = ["actor", "target_type"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


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
            _("Admission standard"),
            {
                "fields": [
                    "age_limit",
                    "min_teaching_experience_years",
                    "min_certificate_hours",
                    "criminal_record_validity_months",
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
