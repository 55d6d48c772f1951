from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from apps.core.admin import ReadOnlyAdminMixin, run_action
from apps.core.services import model_snapshot
from apps.teachers.models import Category

from . import services
from .models import (
    Checklist,
    ChecklistEntry,
    ChecklistReminder,
    Procedure,
    ProcedureMaterial,
    ProcedureStep,
)


class ProcedureStepInline(TranslationTabularInline):
    model = ProcedureStep
    extra = 0


class ProcedureMaterialInline(TranslationTabularInline):
    model = ProcedureMaterial
    extra = 0


class ProcedureAdminForm(forms.ModelForm):
    # Ticked categories are stored as "1,2,3": the model's validator keeps the column honest.
    category_choices = forms.TypedMultipleChoiceField(
        label=_("Teacher categories"),
        choices=Category.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked means every category."),
    )

    class Meta:
        model = Procedure
        # ModelAdmin builds the form from its fieldsets; `categories` comes from the ticks.
        fields = ["slug"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["category_choices"].initial = self.instance.category_list

    def _post_clean(self) -> None:
        chosen = self.cleaned_data.get("category_choices") or []
        self.instance.categories = ",".join(str(number) for number in sorted(set(chosen)))
        super()._post_clean()


@admin.register(Procedure)
class ProcedureAdmin(TranslationAdmin):
    form = ProcedureAdminForm
    target_name = "procedure"
    list_display = [
        "title",
        "stage",
        "applicant",
        "categories",
        "limit_setting",
        "limit_uncertain",
        "on_checklist",
        "is_published",
        "last_checked_on",
    ]
    list_filter = ["stage", "applicant", "on_checklist", "is_published", "limit_uncertain"]
    search_fields = ["title_en", "title_zh_hans", "slug", "authority_en", "authority_zh_hans"]
    readonly_fields = ["code", "updated_at"]
    prepopulated_fields = {"slug": ["title_en"]}
    inlines = [ProcedureStepInline, ProcedureMaterialInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ["mark_checked_today"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "stage", "sort_order", "is_published"]}),
        (
            _("Who and when"),
            {
                "fields": [
                    "applicant",
                    "category_choices",
                    "situation",
                    "cluster_only",
                    "on_checklist",
                    "completed_by",
                ]
            },
        ),
        (
            _("Time limit"),
            {
                "fields": [
                    "limit_setting",
                    "limit_unit",
                    "limit_starts_from",
                    "limit_uncertain",
                    "limit_note",
                ]
            },
        ),
        (
            _("Details"),
            {"fields": ["conditions", "fees", "authority", "link", "legal_basis"]},
        ),
        (None, {"fields": ["last_checked_on", "code", "updated_at"]}),
    ]

    def save_model(self, request, obj, form, change) -> None:
        # Through the service, so every edit of a procedure is audited.
        before = None
        if change:
            before = model_snapshot(
                Procedure.objects.get(pk=obj.pk), services.PROCEDURE_AUDIT_FIELDS
            )
        services.procedure_save(actor=request.user, procedure=obj, before=before)

    @admin.action(description=_("Mark as checked today"))
    def mark_checked_today(self, request, queryset) -> None:
        run_action(
            self,
            request,
            queryset,
            services.procedure_mark_checked,
            done_message=_("%(count)s procedures marked as checked today."),
        )


@admin.register(Checklist)
class ChecklistAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["employment", "already_in_china", "updated_at"]
    list_filter = ["already_in_china"]
    search_fields = ["employment__teacher__legal_name", "employment__school__name_zh_hans"]
    list_select_related = ["employment__teacher", "employment__school"]
    readonly_fields = ["employment", "already_in_china", "updated_at"]


@admin.register(ChecklistEntry)
class ChecklistEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["employment", "procedure", "status", "done_on", "recorded_by", "recorded_at"]
    list_filter = ["status", "procedure"]
    search_fields = ["employment__teacher__legal_name", "procedure__title_en"]
    list_select_related = ["employment__teacher", "employment__school", "procedure", "recorded_by"]
    readonly_fields = [field.name for field in ChecklistEntry._meta.fields]


@admin.register(ChecklistReminder)
class ChecklistReminderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["employment", "procedure", "due_on", "days_before", "sent_at"]
    list_filter = ["days_before"]
    list_select_related = ["employment__teacher", "employment__school", "procedure"]
    readonly_fields = [field.name for field in ChecklistReminder._meta.fields]
