"""Who may see which jurisdiction's figures, and the figures the bureau dashboard shows."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import get_language

from apps.accounts.models import Role
from apps.core.models import District
from apps.core.selectors import reference_choices
from apps.schools.selectors import bureau_membership_for_user

from . import statistics as stats
from .models import ReportBuild
from .statistics import CITY, Jurisdiction
from .statistics.coverage import ClusterSharing, Coverage
from .statistics.hiring import Expiring, VacancyFigures, VisitFigures
from .statistics.people import Nationalities, TeacherProfile
from .statistics.quality import CreditFigures, EvaluationFigures

YEARS_SHOWN = 6
# How old the dashboard's figures may be (the page says so).
STATISTICS_CACHE_SECONDS = 5 * 60
# Bump when the cached statistics part changes shape, so a deploy never serves the old one.
STATISTICS_CACHE_FORMAT = 2


@dataclass(frozen=True)
class Scope:
    """What a user may see: the whole city (any district) or exactly one district."""

    city_wide: bool
    district: District | None = None


def scope_for_user(user: Any) -> Scope | None:
    """Return the user's statistics scope: center staff and the municipal bureau see the city."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.role == Role.CENTER_STAFF:
        return Scope(city_wide=True)
    if user.role != Role.BUREAU_VIEWER:
        return None
    membership = bureau_membership_for_user(user)
    if membership is None:
        return None
    if membership.district_id is None:
        return Scope(city_wide=True)
    return Scope(city_wide=False, district=membership.district)


def jurisdiction_for_user(*, user: Any, district_code: str = "") -> Jurisdiction:
    """Return the jurisdiction the user asked for; PermissionDenied beyond the user's scope."""
    scope = scope_for_user(user)
    if scope is None:
        raise PermissionDenied
    if not scope.city_wide:
        if district_code and district_code != scope.district.code:
            raise PermissionDenied
        return Jurisdiction(scope.district)
    if not district_code:
        return CITY
    district = District.objects.filter(code=district_code).first()
    if district is None:
        raise PermissionDenied
    return Jurisdiction(district)


def user_may_see(*, user: Any, jurisdiction: Jurisdiction) -> bool:
    """Whether the user's scope covers the jurisdiction (reports are downloaded only so)."""
    scope = scope_for_user(user)
    if scope is None:
        return False
    if scope.city_wide:
        return True
    return not jurisdiction.is_city and jurisdiction.district.pk == scope.district.pk


def districts_for_filter(scope: Scope) -> list[tuple[str, str]]:
    """Return the (code, name) of the districts a city-wide user can pick (none for a bureau)."""
    if not scope.city_wide:
        return []
    return reference_choices(District)  # cached, in the districts' order


def report_years(today: date) -> list[int]:
    """Return the years a user can choose, newest first."""
    return list(range(today.year, today.year - YEARS_SHOWN, -1))


@dataclass(frozen=True)
class DashboardFigures:
    """Everything the bureau dashboard draws, read with a bounded number of queries."""

    jurisdiction: Jurisdiction
    year: int
    on: date
    headline: dict
    profile: TeacherProfile
    nationalities: Nationalities
    by_district: list
    by_type: list
    coverage: Coverage
    cluster: ClusterSharing
    vacancies: VacancyFigures
    expiring: Expiring
    visits: VisitFigures
    evaluations: EvaluationFigures
    stars: list
    credit: CreditFigures


def dashboard_figures_key(*, jurisdiction: Jurisdiction, year: int, today: date) -> str:
    """Return the cache key of the dashboard's statistics part (the figures drawn as HTML).

    Reading the figures takes about 24 aggregate queries over the register (150 ms for the
    city), so the page caches its statistics part, drawn, for each (jurisdiction, year, day,
    language) for STATISTICS_CACHE_SECONDS: the figures and charts are built only on a miss.
    The annual report reads the statistics live (build_report).
    """
    return (
        f"reports:dashboard:{STATISTICS_CACHE_FORMAT}:{jurisdiction.key}:{year}:"
        f"{today.isoformat()}:{get_language()}"
    )


def dashboard_figures_read(
    *, jurisdiction: Jurisdiction, year: int, today: date
) -> DashboardFigures:
    """Read the dashboard's statistics from the database (about 24 queries; no cache here)."""
    on = stats.reference_date(year, today)
    return DashboardFigures(
        jurisdiction=jurisdiction,
        year=year,
        on=on,
        headline=stats.headline_figures(jurisdiction, year, today),
        profile=stats.teacher_profile(jurisdiction, on),
        nationalities=stats.teachers_by_nationality(jurisdiction, on),
        by_district=stats.teachers_by_district(jurisdiction, on),
        by_type=stats.teachers_by_school_type(jurisdiction, on),
        coverage=stats.coverage(jurisdiction, on),
        cluster=stats.cluster_sharing(jurisdiction, on),
        vacancies=stats.vacancy_figures(jurisdiction, year),
        expiring=stats.expiring(jurisdiction, on),
        visits=stats.exchange_visits(jurisdiction, year),
        evaluations=stats.evaluation_figures(jurisdiction, year, today),
        stars=stats.star_levels(jurisdiction, on),
        credit=stats.credit_figures(jurisdiction, on),
    )


def report_build_for_user(*, user: Any, code: Any) -> ReportBuild | None:
    """Return the build if the user's scope covers its jurisdiction, else None (a 404)."""
    build = ReportBuild.objects.select_related("district").filter(code=code).first()
    if build is None or not user_may_see(user=user, jurisdiction=Jurisdiction(build.district)):
        return None
    return build


def report_builds_recent(*, jurisdiction: Jurisdiction, limit: int = 5) -> list[ReportBuild]:
    """Return the jurisdiction's latest builds (the dashboard's report card)."""
    return list(
        ReportBuild.objects.filter(district=jurisdiction.district)
        .select_related("district")
        .order_by("-created_at", "-id")[:limit]
    )
