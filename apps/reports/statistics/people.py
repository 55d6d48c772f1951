"""Foreign teachers employed on a date: who they are and where they teach."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.utils.translation import gettext, gettext_lazy

from apps.core.dates import add_months
from apps.schools.models import Ownership
from apps.teachers.models import Category, Gender

from ..continents import CONTINENT_LABELS, continent_of
from .common import Jurisdiction, Row, employed_on, name_fields, pick_name

AGE_BANDS = (  # (key, label, lowest age, highest age)
    ("under_30", gettext_lazy("under 30"), None, 29),
    ("30_39", gettext_lazy("30–39"), 30, 39),
    ("40_49", gettext_lazy("40–49"), 40, 49),
    ("50_59", gettext_lazy("50–59"), 50, 59),
    ("60_plus", gettext_lazy("60 and over"), 60, None),
)
TOP_COUNTRIES = 10


@dataclass(frozen=True)
class TeacherProfile:
    """The teachers employed on a date, counted by category, gender, age band and more."""

    total: int
    by_category: list[Row]
    by_gender: list[Row]
    by_age: list[Row]
    by_ownership: list[Row]
    interns: int
    cluster_teachers: int


def _age_q(on: date, low: int | None, high: int | None) -> Q:
    # Aged at least `low` on the date ⇔ born on or before the date `low` years earlier.
    q = Q(teacher__date_of_birth__isnull=False)
    if low is not None:
        q &= Q(teacher__date_of_birth__lte=add_months(on, -12 * low))
    if high is not None:
        q &= Q(teacher__date_of_birth__gt=add_months(on, -12 * (high + 1)))
    return q


def teacher_profile(jurisdiction: Jurisdiction, on: date) -> TeacherProfile:
    """Count the teachers employed on the date by category, gender, age, ownership (one query)."""

    def teachers(q: Q | None = None) -> Count:
        return Count("teacher_id", distinct=True, filter=q)

    columns = {"total": teachers(), "interns": teachers(Q(is_intern=True))}
    columns["cluster"] = teachers(Q(cluster__isnull=False))
    for category in Category:
        columns[f"category_{category.value}"] = teachers(Q(teacher__category=category.value))
    for gender in Gender:
        columns[f"gender_{gender.value}"] = teachers(Q(teacher__gender=gender.value))
    columns["gender_unknown"] = teachers(Q(teacher__gender=""))
    for key, _label, low, high in AGE_BANDS:
        columns[f"age_{key}"] = teachers(_age_q(on, low, high))
    columns["age_unknown"] = teachers(Q(teacher__date_of_birth__isnull=True))
    for ownership in Ownership:
        columns[f"ownership_{ownership.value}"] = teachers(Q(school__ownership=ownership.value))
    counts = employed_on(jurisdiction, on).aggregate(**columns)

    genders = [Row(g.value, str(g.label), counts[f"gender_{g.value}"]) for g in Gender]
    if counts["gender_unknown"]:
        genders.append(Row("unknown", gettext("not stated"), counts["gender_unknown"]))
    ages = [Row(key, str(label), counts[f"age_{key}"]) for key, label, _l, _h in AGE_BANDS]
    if counts["age_unknown"]:
        ages.append(Row("unknown", gettext("not stated"), counts["age_unknown"]))
    return TeacherProfile(
        total=counts["total"],
        by_category=[
            Row(str(c.value), str(c.label), counts[f"category_{c.value}"]) for c in Category
        ],
        by_gender=genders,
        by_age=ages,
        by_ownership=[
            Row(o.value, str(o.label), counts[f"ownership_{o.value}"]) for o in Ownership
        ],
        interns=counts["interns"],
        cluster_teachers=counts["cluster"],
    )


@dataclass(frozen=True)
class Nationalities:
    """Teachers by continent and the most frequent countries of nationality."""

    by_continent: list[Row]
    top_countries: list[Row]
    countries: int


def teachers_by_nationality(jurisdiction: Jurisdiction, on: date) -> Nationalities:
    """Count the teachers employed on the date by nationality, folded into continents."""
    from django_countries import countries

    rows = list(
        employed_on(jurisdiction, on)
        .values("teacher__nationality")
        .annotate(n=Count("teacher_id", distinct=True))
        .order_by("-n", "teacher__nationality")
    )
    # The loops below run over at most ~250 aggregated rows (one per country), not over people.
    continents = dict.fromkeys(CONTINENT_LABELS, 0)
    for row in rows:
        continents[continent_of(row["teacher__nationality"])] += row["n"]
    top = [
        Row(
            row["teacher__nationality"] or "",
            str(countries.name(row["teacher__nationality"])) or gettext("not stated"),
            row["n"],
        )
        for row in rows[:TOP_COUNTRIES]
    ]
    return Nationalities(
        by_continent=[
            Row(key, str(CONTINENT_LABELS[key]), n)
            for key, n in continents.items()
            if n or key != "other"
        ],
        top_countries=top,
        countries=sum(1 for row in rows if row["teacher__nationality"]),
    )


def teachers_by_district(jurisdiction: Jurisdiction, on: date) -> list[Row]:
    """Count the teachers employed on the date by the district of their (lead) school."""
    rows = (
        employed_on(jurisdiction, on)
        .values(
            "school__district__code",
            "school__district__sort_order",
            *name_fields("school__district"),
        )
        .annotate(n=Count("teacher_id", distinct=True))
        .order_by("school__district__sort_order", "school__district__code")
    )
    return [
        Row(row["school__district__code"], pick_name(row, "school__district"), row["n"])
        for row in rows
    ]


def teachers_by_school_type(jurisdiction: Jurisdiction, on: date) -> list[Row]:
    """Count the teachers employed on the date by their (lead) school's type (level)."""
    rows = (
        employed_on(jurisdiction, on)
        .values(
            "school__school_type__code",
            "school__school_type__sort_order",
            *name_fields("school__school_type"),
        )
        .annotate(n=Count("teacher_id", distinct=True))
        .order_by("school__school_type__sort_order", "school__school_type__code")
    )
    return [
        Row(row["school__school_type__code"], pick_name(row, "school__school_type"), row["n"])
        for row in rows
    ]


def teachers_by_subject(jurisdiction: Jurisdiction, on: date) -> list[Row]:
    """Count the teachers employed on the date by the subjects they teach (one may teach two)."""
    rows = (
        employed_on(jurisdiction, on)
        .filter(teacher__subjects__isnull=False)
        .values(
            "teacher__subjects__code",
            "teacher__subjects__sort_order",
            *name_fields("teacher__subjects"),
        )
        .annotate(n=Count("teacher_id", distinct=True))
        .order_by("-n", "teacher__subjects__sort_order")
    )
    return [
        Row(row["teacher__subjects__code"], pick_name(row, "teacher__subjects"), row["n"])
        for row in rows
    ]
