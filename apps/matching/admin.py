from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.admin import AddDisabledMixin, ReadOnlyAdminMixin

from .forms import check_run_start
from .models import (
    MatchingWeights,
    MatchRun,
    MatchSuggestion,
    Recommendation,
    RunKind,
    RunStatus,
)
from .selectors.weights import matching_weights_row
from .services import match_run_start
from .services.weights import matching_weights_update


class MatchRunStartForm(forms.ModelForm):
    kind = forms.ChoiceField(
        label=_("kind"),
        choices=[(RunKind.FULL, RunKind.FULL.label), (RunKind.STABLE, RunKind.STABLE.label)],
        initial=RunKind.FULL,
    )

    class Meta:
        model = MatchRun
        fields = ["district", "kind", "season_start", "season_end"]
        help_texts = {
            "district": _("Leave empty to match the whole city."),
            "season_start": _("Stable round only: the season's applications from this day on."),
        }

    def clean(self):
        return check_run_start(self, super().clean())


@admin.register(MatchRun)
class MatchRunAdmin(admin.ModelAdmin):
    """Center staff start runs with "Add" (city or one district) and watch them here."""

    form = MatchRunStartForm
    list_display = [
        "created_at",
        "scope",
        "kind",
        "status",
        "phase",
        "total_seconds",
        "teacher_count",
        "post_count",
        "assigned_count",
        "started_by",
        "suggestions_link",
        "page_link",
    ]
    list_filter = ["status", "kind", "district"]
    list_select_related = ["district", "started_by", "vacancy", "teacher"]
    readonly_fields = [
        "code",
        "kind",
        "district",
        "season_start",
        "season_end",
        "started_by",
        "status",
        "phase",
        "failure_reason",
        "attempts",
        "weights",
        "timings",
        "counts",
        "findings",
        "created_at",
        "started_at",
        "finished_at",
        "suggestions_link",
        "page_link",
    ]

    def get_fields(self, request, obj=None):
        return list(self.form.Meta.fields) if obj is None else self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def has_delete_permission(self, request, obj=None) -> bool:
        # Runs are the record of what was recommended and when.
        return False

    def save_model(self, request, obj, form, change) -> None:
        if change:
            raise PermissionDenied
        run = match_run_start(
            actor=request.user,
            district=form.cleaned_data.get("district"),
            kind=form.cleaned_data["kind"],
            season_start=form.cleaned_data.get("season_start"),
            season_end=form.cleaned_data.get("season_end"),
        )
        obj.pk = run.pk
        obj.refresh_from_db()

    def response_add(self, request, obj, post_url_continue=None):
        self.message_user(
            request,
            gettext("Matching run for %(scope)s queued; this list shows its progress.")
            % {"scope": obj.scope_label},
            messages.SUCCESS,
        )
        return self.response_post_save_add(request, obj)

    @admin.display(description=_("scope"), ordering="district__sort_order")
    def scope(self, obj: MatchRun) -> str:
        return obj.scope_label

    @admin.display(description=_("total time (s)"))
    def total_seconds(self, obj: MatchRun):
        return obj.timings.get("total", "–")

    @admin.display(description=_("teachers"))
    def teacher_count(self, obj: MatchRun):
        return obj.counts.get("teachers", "–")

    @admin.display(description=_("posts"))
    def post_count(self, obj: MatchRun):
        return obj.counts.get("capacity", "–")

    @admin.display(description=_("assigned"))
    def assigned_count(self, obj: MatchRun):
        return obj.counts.get("assigned", "–")

    @admin.display(description=_("suggestions"))
    def suggestions_link(self, obj: MatchRun):
        if obj.status != RunStatus.DONE:
            return "–"
        url = reverse("admin:matching_matchsuggestion_changelist") + f"?run__id__exact={obj.pk}"
        return format_html(
            '<a href="{}">{}</a>',
            url,
            gettext("%(count)s suggestions") % {"count": obj.counts.get("suggestions", 0)},
        )

    @admin.display(description=_("assignment"))
    def page_link(self, obj: MatchRun):
        url = reverse("matching:run_detail", args=[obj.code])
        return format_html('<a href="{}">{}</a>', url, _("Open"))


class RecentRunFilter(admin.SimpleListFilter):
    """The latest full runs and stable rounds (an incremental run is made on every publish)."""

    title = _("run")
    parameter_name = "run__id__exact"  # the runs list links here with this parameter
    SHOWN = 30

    def lookups(self, request, model_admin):
        runs = MatchRun.objects.filter(kind__in=(RunKind.FULL, RunKind.STABLE)).select_related(
            "district"
        )
        return [(str(run.pk), str(run)) for run in runs.order_by("-created_at")[: self.SHOWN]]

    def queryset(self, request, queryset):
        return queryset.filter(run_id=self.value()) if self.value() else queryset


class ScoreBandFilter(admin.SimpleListFilter):
    title = _("score")
    parameter_name = "score_band"
    BANDS = {"80": Q(score__gte=80), "60": Q(score__gte=60, score__lt=80), "0": Q(score__lt=60)}

    def lookups(self, request, model_admin):
        return [("80", _("80 and above")), ("60", _("60 to 80")), ("0", _("below 60"))]

    def queryset(self, request, queryset):
        band = self.BANDS.get(self.value() or "")
        return queryset.filter(band) if band is not None else queryset


@admin.register(MatchSuggestion)
class MatchSuggestionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only results of the runs, filterable by run, district, assignment and score."""

    list_display = ["vacancy", "school_district", "rank", "teacher", "score", "assigned", "run"]
    list_filter = [
        "assigned",
        ScoreBandFilter,
        # Plain filters: "related only" would scan every suggestion for its choices.
        "vacancy__school__district",
        RecentRunFilter,
    ]
    list_select_related = [
        "vacancy__school__district",
        "teacher__user",
        "run__district",
        "run__vacancy",
        "run__teacher",
    ]
    search_fields = ["vacancy__title_en", "vacancy__title_zh_hans", "teacher__legal_name"]
    ordering = ["-run_id", "-vacancy_id", "rank"]  # the index read backwards: newest run first
    readonly_fields = ["run", "teacher", "vacancy", "rank", "score", "components", "assigned"]
    show_full_result_count = False
    list_per_page = 50

    @admin.display(description=_("district"), ordering="vacancy__school__district__sort_order")
    def school_district(self, obj: MatchSuggestion) -> str:
        return obj.vacancy.school.district.name


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only record of the pairs pushed to schools and what schools and teachers did."""

    list_display = ["vacancy", "school", "teacher", "kind", "status", "score", "pushed_at", "run"]
    list_filter = ["status", "kind"]
    list_select_related = [
        "vacancy__school",
        "teacher__user",
        "run__district",
        "run__vacancy",
        "run__teacher",
    ]
    search_fields = ["vacancy__title_en", "vacancy__title_zh_hans", "teacher__legal_name"]
    date_hierarchy = "pushed_at"
    readonly_fields = [
        "code",
        "kind",
        "run",
        "teacher",
        "vacancy",
        "application",
        "status",
        "score",
        "components",
        "weights",
        "pushed_by",
        "pushed_at",
        "invited_by",
        "invited_at",
        "message",
        "status_changed_at",
    ]

    @admin.display(description=_("school"))
    def school(self, obj: Recommendation) -> str:
        return str(obj.vacancy.school)


@admin.register(MatchingWeights)
class MatchingWeightsAdmin(AddDisabledMixin, admin.ModelAdmin):
    """Center staff tune how much each component counts; the next run uses and records them.

    The one row is created by the migration (and by the selector if missing): nobody adds one.
    """

    fieldsets = [
        (
            _("Fit with the post"),
            {"fields": ["subject", "level", "qualifications", "experience", "chinese"]},
        ),
        (_("Wishes of both sides"), {"fields": ["district", "salary", "start_date"]}),
        (_("Credit and evaluations"), {"fields": ["star_level", "red_list", "evaluation"]}),
        (None, {"fields": ["updated_at"]}),
    ]
    readonly_fields = ["updated_at"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        # One row: the list is its edit page.
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        row = matching_weights_row()
        return redirect(reverse("admin:matching_matchingweights_change", args=[row.pk]))

    def save_model(self, request, obj, form, change) -> None:
        # Through the service, so every change of a weight is audited.
        values = {name: form.cleaned_data[name] for name in form.changed_data}
        matching_weights_update(actor=request.user, **values)
