"""The pieces every figure shares: the jurisdiction, the period and the employed-on-a-date rule."""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language, gettext

from apps.core.models import District
from apps.employment.models import ChangeKind, Employment, EmploymentChange


@dataclass(frozen=True)
class Jurisdiction:
    """What a figure covers: the whole city, or one district (schools by their district)."""

    district: District | None = None

    @property
    def is_city(self) -> bool:
        return self.district is None

    @property
    def key(self) -> str:
        return "city" if self.district is None else self.district.code

    @property
    def label(self) -> str:
        return gettext("Hangzhou (whole city)") if self.district is None else str(self.district)

    def q(self, school_path: str = "school") -> Q:
        """Return the filter on the school at `school_path` (empty for the city)."""
        if self.district is None:
            return Q()
        return Q(**{f"{school_path}__district_id": self.district.pk})


CITY = Jurisdiction()


@dataclass(frozen=True)
class Row:
    """One bar of a breakdown: a stable key, its label in the active language, and a count."""

    key: str
    label: str
    count: int


def year_dates(year: int) -> tuple[date, date]:
    """Return the first and last day of the year."""
    return date(year, 1, 1), date(year, 12, 31)


def year_span(year: int) -> tuple[datetime, datetime]:
    """Return [1 Jan 00:00, next 1 Jan 00:00) in the portal's time zone, for timestamps."""
    zone = timezone.get_default_timezone()
    return (
        datetime.combine(date(year, 1, 1), time.min, tzinfo=zone),
        datetime.combine(date(year + 1, 1, 1), time.min, tzinfo=zone),
    )


def reference_date(year: int, today: date) -> date:
    """Return the day a year's stock figures are read on: 31 December, or today this year."""
    return min(today, date(year, 12, 31))


def ratio(part: int, whole: int) -> Decimal | None:
    """Return part/whole as a fraction rounded to 4 places, or None when whole is 0."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def change(current, previous) -> Decimal | None:
    """Return the year-over-year change as a fraction, or None without a base-year figure."""
    if current is None or not previous:
        return None
    fraction = (Decimal(current) - Decimal(previous)) / Decimal(previous)
    return fraction.quantize(Decimal("0.0001"), ROUND_HALF_UP)


def name_fields(path: str) -> list[str]:
    """Return the two translated name columns at `path` (for values() without label queries)."""
    return [f"{path}__name_en", f"{path}__name_zh_hans"]


def pick_name(row: dict, path: str) -> str:
    """Return the name at `path` in the active language, falling back to the other one."""
    english = row.get(f"{path}__name_en") or ""
    chinese = row.get(f"{path}__name_zh_hans") or ""
    if (get_language() or "").startswith("zh"):
        return chinese or english
    return english or chinese


def current_contract_end():
    """The contract end after the latest renewal or internship extension (a DB expression)."""
    latest = (
        EmploymentChange.objects.filter(
            employment=OuterRef("pk"),
            kind__in=[ChangeKind.RENEWAL, ChangeKind.INTERNSHIP_EXTENDED],
        )
        .order_by("-effective_on", "-recorded_at", "-pk")
        .values("new_contract_end")[:1]
    )
    return Coalesce(Subquery(latest), F("contract_end"))


def latest_permit_expiry(kind: str):
    """The expiry of the employment's latest permit of `kind` (a DB expression)."""
    latest = (
        EmploymentChange.objects.filter(employment=OuterRef("pk"), kind=kind)
        .order_by("-effective_on", "-recorded_at", "-pk")
        .values("expires_on")[:1]
    )
    return Subquery(latest)


def employed_q(on: date) -> Q:
    """Employed on the date: started, not ended, contract (after renewals) still running.

    Needs the `current_end` annotation (employments()).
    """
    return (
        Q(contract_start__lte=on)
        & (Q(ended_on__isnull=True) | Q(ended_on__gt=on))
        & Q(current_end__gte=on)
    )


def employments(jurisdiction: Jurisdiction) -> QuerySet[Employment]:
    """Return the jurisdiction's employments (by the lead school) annotated with current_end.

    A cluster contract counts once, in its lead school's district, so district figures add
    up to the city's; the schools it covers are counted by coverage and cluster_sharing.
    """
    return (
        Employment.objects.filter(jurisdiction.q("school"))
        .alias(current_end=current_contract_end())
        .order_by()
    )


def employments_for_aggregates(jurisdiction: Jurisdiction) -> QuerySet[Employment]:
    """Return employments() with current_end selected, for aggregates that test it often.

    distinct() makes Django aggregate over a subquery, so the correlated current-end lookup
    runs once per row instead of once per aggregate column that mentions it (20x faster).
    """
    return (
        Employment.objects.filter(jurisdiction.q("school"))
        .annotate(current_end=current_contract_end())
        .order_by()
        .distinct()
    )


def employed_on(jurisdiction: Jurisdiction, on: date) -> QuerySet[Employment]:
    """Return the jurisdiction's employments running on the date."""
    return employments(jurisdiction).filter(employed_q(on))


def suppressed(count: int | None, threshold: int) -> int | None:
    """Return None for a non-zero count under the privacy threshold (it could point at people)."""
    if count is None or (0 < count < threshold):
        return None
    return count
