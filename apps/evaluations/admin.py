import uuid

from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from apps.core.admin import ReadOnlyAdminMixin, ReadOnlyInline, run_action
from apps.schools.models import School

from .forms import SchoolAssessmentAdminForm
from .models import (
    Evaluation,
    EvaluationRound,
    Rubric,
    RubricLevel,
    SchoolAssessment,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
)
from .services import school_assessment_save
from .services.admin_actions import evaluation_remind, evaluation_round_top_up, rubric_copy


@admin.register(EvaluationRound)
class EvaluationRoundAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["quarter", "starts_on", "ends_on", "deadline", "opened_at", "opened_by"]
    search_fields = ["quarter"]
    list_select_related = ["opened_by"]
    readonly_fields = [f.name for f in EvaluationRound._meta.fields]
    actions = ["top_up"]
    target_name = "round"

    @admin.action(description=_("Create the evaluations missing from the selected rounds"))
    def top_up(self, request, queryset):
        run_action(
            self, request, queryset, evaluation_round_top_up, _("%(count)d rounds topped up.")
        )


class SchoolFilter(admin.SimpleListFilter):
    """One school's evaluations: its schools are listed once a district is chosen."""

    title = _("school")
    parameter_name = "school"
    district_parameter = "school__district__id__exact"

    def lookups(self, request, model_admin):
        # A city has thousands of schools: list one district's, never all of them at once.
        district = request.GET.get(self.district_parameter, "")
        schools = School.objects.none()
        if district.isdigit():
            schools = School.objects.filter(district_id=district, evaluations__isnull=False)
        elif self._code():
            schools = School.objects.filter(code=self._code())
        return [(str(s.code), s.name) for s in schools.distinct().order_by("name")]

    def _code(self) -> uuid.UUID | None:
        try:
            return uuid.UUID(self.value() or "")
        except ValueError:
            return None

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        code = self._code()
        return queryset.filter(school__code=code) if code else queryset.none()


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "round",
        "teacher",
        "school",
        "district",
        "status",
        "law_compliance_score",
        "teaching_duties_score",
        "daily_conduct_score",
        "serious_incident",
        "submitted_at",
    ]
    list_filter = [
        "round",
        "status",
        "serious_incident",
        ("school__district", admin.RelatedOnlyFieldListFilter),
        SchoolFilter,
    ]
    search_fields = ["teacher__legal_name", "school__name_zh_hans", "school__name_en", "code"]
    list_select_related = ["round", "teacher", "school", "school__district"]
    readonly_fields = [f.name for f in Evaluation._meta.fields]
    actions = ["remind"]
    target_name = "evaluation"

    @admin.display(description=_("district"), ordering="school__district")
    def district(self, obj):
        return obj.school.district

    def get_view_on_site_url(self, obj=None):
        # Reopening (with its reason) happens on the center's evaluation page.
        return reverse("evaluations:center_detail", args=[obj.code]) if obj else None

    @admin.action(description=_("Remind the schools of the selected open evaluations"))
    def remind(self, request, queryset):
        run_action(
            self,
            request,
            queryset.select_related("round", "school"),
            evaluation_remind,
            _("%(count)d reminders sent."),
        )


@admin.register(SchoolAssessment)
class SchoolAssessmentAdmin(admin.ModelAdmin):
    form = SchoolAssessmentAdminForm
    list_display = ["round", "school", "score", "assessed_by", "assessed_at"]
    list_filter = ["round", "score", ("school__district", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["school__name_zh_hans", "school__name_en"]
    list_select_related = ["round", "school", "assessed_by"]
    autocomplete_fields = ["school"]
    fields = ["round", "school", "score", "comment", "indicators", "assessed_by", "assessed_at"]
    readonly_fields = ["indicators", "assessed_by", "assessed_at"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields + ["round", "school"] if obj else fields

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        # Through the service: it checks the school was employing, snapshots the indicators
        # and audits the score.
        saved = school_assessment_save(
            actor=request.user,
            round=obj.round,
            school=obj.school,
            score=form.cleaned_data["score"],
            comment=form.cleaned_data.get("comment", ""),
        )
        obj.pk = saved.pk


class RubricLevelInline(TranslationTabularInline):
    model = RubricLevel
    extra = 0
    fields = ["dimension", "score", "description"]

    def has_change_permission(self, request, obj=None) -> bool:
        # A rubric that evaluations were made with stays as it was: copy it to change it.
        if obj is not None and obj.evaluations.exists():
            return False
        return super().has_change_permission(request, obj)

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin):
    list_display = ["version", "is_published", "note_display", "created_at"]
    inlines = [RubricLevelInline]
    actions = ["copy"]
    target_name = "rubric"

    @admin.display(description=_("what changed"))
    def note_display(self, rubric: Rubric) -> str:
        return rubric.note_text

    def has_delete_permission(self, request, obj=None) -> bool:
        return obj is None or not obj.evaluations.exists()

    @admin.action(description=_("Copy as a new version to edit"))
    def copy(self, request, queryset):
        run_action(self, request, queryset, rubric_copy, _("%(count)d rubric versions created."))


@admin.register(SurveyQuestion)
class SurveyQuestionAdmin(TranslationAdmin):
    list_display = ["text", "direction", "code", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    list_filter = ["direction", "is_active"]
    search_fields = ["code", "text_en", "text_zh_hans"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # answered questions keep their text; untick "asked" instead


class SurveyAnswerInline(ReadOnlyInline):
    model = SurveyAnswer
    fields = ["question", "score"]


@admin.register(SurveyResponse)
class SurveyResponseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Single answers: only center staff read them (schools, teachers, bureaus see aggregates)."""

    list_display = ["evaluation", "direction", "respondent", "submitted_at"]
    list_filter = [
        "direction",
        "evaluation__round",
        ("evaluation__school__district", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = [
        "evaluation__teacher__legal_name",
        "evaluation__school__name_zh_hans",
        "evaluation__school__name_en",
    ]
    list_select_related = [
        "evaluation",
        "evaluation__round",
        "evaluation__teacher",
        "evaluation__school",
        "respondent",
    ]
    readonly_fields = ["evaluation", "direction", "respondent", "comment", "submitted_at"]
    inlines = [SurveyAnswerInline]
