from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Role
from apps.accounts.permissions import bureau_viewer_required, center_staff_required
from apps.evaluations.selectors import evaluations as evaluation_selectors
from apps.reports import selectors as report_selectors
from apps.reports.charts import dashboard_charts, headline_cards, percent
from apps.schools import selectors as school_selectors
from apps.schools.caching import BUREAU_CACHE_SECONDS, bureau_cache_key


class StatisticsFilterForm(forms.Form):
    """The year (and, for city-wide users, the district) the dashboard shows."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    district = forms.ChoiceField(label=_("District"), required=False)

    def __init__(self, *args, years: list[int], districts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in years]
        self.fields["district"].choices = [("", _("Whole city")), *districts]


def _bureau_counts(user) -> dict[str, int]:
    """The jurisdiction's schools, groups and late evaluations (the dashboard's links card)."""
    counts = school_selectors.bureau_counts(user)
    late = evaluation_selectors.evaluations_late_for_bureau(user=user, today=timezone.localdate())
    counts["late_evaluations"] = late.count()
    return counts


def _statistics(figures) -> dict:
    """What the statistics part draws from the figures: cards, charts and their data."""
    charts = dashboard_charts(figures)
    return {
        "cards": headline_cards(figures.headline),
        "coverage_text": percent(figures.coverage.ratio),
        "target_text": percent(figures.coverage.target),
        "charts": charts,
        "chart_data": {chart.key: chart.as_json() for chart in charts},
        "comparison": _comparison(figures) if figures.jurisdiction.is_city else None,
    }


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
        # Read only when the counts' cached part misses ("bureau-counts" in the template).
        context["counts"] = SimpleLazyObject(lambda: _bureau_counts(request.user))
        context["counts_key"] = (
            f"{timezone.localdate().isoformat()}:"
            f"{bureau_cache_key(user=request.user, parts=('schools', 'groups', 'evaluations'))}"
        )
        context["counts_seconds"] = BUREAU_CACHE_SECONDS
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
    # The statistics are read and drawn only when their cached part misses ("bureau-statistics"
    # in the template, the page's one cache of them): a hit reads no figure and builds no chart.
    figures = SimpleLazyObject(
        lambda: report_selectors.dashboard_figures_read(
            jurisdiction=jurisdiction, year=year, today=today
        )
    )
    context.update(
        form=form,
        year=year,
        place=jurisdiction,
        figures=figures,
        statistics=SimpleLazyObject(lambda: _statistics(figures)),
        report_builds=report_selectors.report_builds_recent(jurisdiction=jurisdiction),
        statistics_key=report_selectors.dashboard_figures_key(
            jurisdiction=jurisdiction, year=year, today=today
        ),
        statistics_seconds=report_selectors.STATISTICS_CACHE_SECONDS,
        statistics_minutes=report_selectors.STATISTICS_CACHE_SECONDS // 60,
    )
    return render(request, "dashboards/bureau.html", context)
