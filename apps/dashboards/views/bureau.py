from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Role
from apps.accounts.permissions import bureau_viewer_required, center_staff_required
from apps.evaluations.selectors import evaluations as evaluation_selectors
from apps.reports import selectors as report_selectors
from apps.reports.charts import dashboard_charts, headline_cards, percent
from apps.schools import selectors as school_selectors


class StatisticsFilterForm(forms.Form):
    """The year (and, for city-wide users, the district) the dashboard shows."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    district = forms.ChoiceField(label=_("District"), required=False)

    def __init__(self, *args, years: list[int], districts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in years]
        self.fields["district"].choices = [("", _("Whole city")), *districts]


def _comparison(figures) -> list[dict]:
    """Join the per-district teacher counts and coverage rows into one table (≤ 14 rows)."""
    teachers = {row.key: row.count for row in figures.by_district}
    return [
        {
            "label": row.label,
            "teachers": teachers.get(row.key, 0),
            "schools": row.schools,
            "covered": row.covered,
            "ratio": percent(row.ratio),
        }
        for row in figures.coverage.by_district
    ]


@bureau_viewer_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The bureau's dashboard: its jurisdiction's statistics, lists and annual report."""
    return _statistics_page(request)


@center_staff_required
def statistics(request: HttpRequest) -> HttpResponse:
    """The same statistics for the service center (the whole city and every district)."""
    return _statistics_page(request)


def _statistics_page(request: HttpRequest) -> HttpResponse:
    scope = report_selectors.scope_for_user(request.user)
    context = {
        "jurisdiction": school_selectors.bureau_membership_for_user(request.user),
        "scope": scope,
    }
    if request.user.role == Role.BUREAU_VIEWER:
        context["counts"] = school_selectors.bureau_counts(request.user)
        context["late_evaluations"] = evaluation_selectors.evaluations_late_count(
            today=timezone.localdate(),
            schools=school_selectors.schools_visible_to_bureau(request.user),
        )
    if scope is None:
        return render(request, "dashboards/bureau.html", context)
    today = timezone.localdate()
    years = report_selectors.report_years(today)
    form = StatisticsFilterForm(
        request.GET or None,
        years=years,
        districts=report_selectors.districts_for_filter(scope),
    )
    year, district_code = years[0], ""
    if form.is_bound and form.is_valid():
        year = form.cleaned_data["year"] or years[0]
        district_code = form.cleaned_data["district"]
    elif form.is_bound and "district" in form.errors:
        raise PermissionDenied  # a district outside the user's choices (another bureau's)
    jurisdiction = report_selectors.jurisdiction_for_user(
        user=request.user, district_code=district_code
    )
    figures = report_selectors.dashboard_figures(jurisdiction=jurisdiction, year=year, today=today)
    charts = dashboard_charts(figures)
    context.update(
        form=form,
        year=year,
        figures=figures,
        cards=headline_cards(figures.headline),
        coverage_text=percent(figures.coverage.ratio),
        target_text=percent(figures.coverage.target),
        charts=charts,
        chart_data={chart.key: chart.as_json() for chart in charts},
        comparison=_comparison(figures) if jurisdiction.is_city else None,
        report_builds=report_selectors.report_builds_recent(jurisdiction=jurisdiction),
        statistics_key=report_selectors.dashboard_figures_key(
            jurisdiction=jurisdiction, year=year, today=today
        ),
        statistics_seconds=report_selectors.STATISTICS_CACHE_SECONDS,
        statistics_minutes=report_selectors.STATISTICS_CACHE_SECONDS // 60,
    )
    return render(request, "dashboards/bureau.html", context)
