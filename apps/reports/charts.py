"""Chart specifications shared by the dashboard (Chart.js), the XLSX and the PDF builders."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .statistics import EXPIRY_WINDOWS

# Okabe–Ito: told apart with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")


@dataclass
class Chart:
    """One chart: categories on one axis, one or more named series of numbers."""

    key: str
    title: str
    labels: list[str]
    series: list[tuple[str, list]] = field(default_factory=list)
    percent: bool = False
    stacked: bool = False

    def rows(self) -> list[list]:
        """Return the chart as table rows: a label, then one value per series."""
        return [
            [label, *[values[index] for _name, values in self.series]]
            for index, label in enumerate(self.labels)
        ]

    def display_rows(self) -> list[list[str]]:
        """Return the table rows with numbers formatted for people (percentages as such)."""

        def show(value) -> str:
            if value is None:
                return "—"
            return percent(value) if self.percent else f"{value:,}"

        return [[row[0], *[show(value) for value in row[1:]]] for row in self.rows()]

    def as_json(self) -> dict:
        def number(value):
            if value is None:
                return None
            return float(value * 100) if self.percent else float(value)

        return {
            "title": self.title,
            "labels": self.labels,
            "percent": self.percent,
            "stacked": self.stacked,
            "datasets": [
                {"label": name, "data": [number(v) for v in values], "color": PALETTE[i % 8]}
                for i, (name, values) in enumerate(self.series)
            ],
        }


def _single(key: str, title: str, rows, series_name: str) -> Chart:
    return Chart(key, title, [r.label for r in rows], [(series_name, [r.count for r in rows])])


def dashboard_charts(figures) -> list[Chart]:
    """Return the dashboard's charts, in page order, from DashboardFigures."""
    teachers = _("Teachers")
    charts = [
        _single(
            "category", _("Foreign teachers by category"), figures.profile.by_category, teachers
        ),
        _single(
            "continent",
            _("Foreign teachers by continent of nationality"),
            figures.nationalities.by_continent,
            teachers,
        ),
        _single(
            "countries",
            _("Top countries of nationality"),
            figures.nationalities.top_countries,
            teachers,
        ),
        _single("age", _("Foreign teachers by age"), figures.profile.by_age, teachers),
        _single("gender", _("Foreign teachers by gender"), figures.profile.by_gender, teachers),
        _single("school_type", _("Foreign teachers by school level"), figures.by_type, teachers),
    ]
    if figures.jurisdiction.is_city:
        charts.append(
            _single("district", _("Foreign teachers by district"), figures.by_district, teachers)
        )
    coverage_rows = (
        figures.coverage.by_district if figures.jurisdiction.is_city else figures.coverage.by_type
    )
    charts.append(
        Chart(
            "coverage",
            _("Schools with a foreign teacher (coverage)"),
            [row.label for row in coverage_rows],
            [
                (_("Coverage"), [row.ratio for row in coverage_rows]),
                (_("City target"), [figures.coverage.target for _row in coverage_rows]),
            ],
            percent=True,
        )
    )
    quarters = figures.evaluations.by_quarter
    charts.append(
        Chart(
            "evaluations",
            _("Quarterly evaluations"),
            [q.quarter for q in quarters],
            [
                (_("Submitted"), [q.submitted for q in quarters]),
                (_("Late"), [q.late for q in quarters]),
                (_("Open"), [q.due - q.submitted - q.late for q in quarters]),
            ],
            stacked=True,
        )
    )
    expiring = figures.expiring
    charts.append(
        Chart(
            "expiring",
            _("Expiring within 30, 60 and 90 days"),
            [_("%(days)s days") % {"days": days} for days in EXPIRY_WINDOWS],
            [
                (_("Contracts"), [expiring.contracts[d] for d in EXPIRY_WINDOWS]),
                (_("Work permits"), [expiring.work_permits[d] for d in EXPIRY_WINDOWS]),
                (_("Residence permits"), [expiring.residence_permits[d] for d in EXPIRY_WINDOWS]),
            ],
        )
    )
    charts.append(_single("stars", _("Star levels"), figures.stars, teachers))
    return charts


def percent(value: Decimal | None) -> str:
    """Format a fraction as a percentage with one decimal ("—" when unknown)."""
    if value is None:
        return "—"
    return f"{value * 100:.1f}%"


HEADLINE_LABELS = {
    "teachers": gettext_lazy("Foreign teachers employed"),
    "covered_schools": gettext_lazy("Schools with a foreign teacher"),
    "coverage": gettext_lazy("Coverage of verified schools"),
    "hires": gettext_lazy("Contracts started"),
    "departures": gettext_lazy("Contracts ended"),
    "vacancies_posted": gettext_lazy("Vacancies published"),
    "exchange_visits": gettext_lazy("Short-term exchange visits"),
}


def headline_cards(headline: dict) -> list[dict]:
    """Return the headline figures as cards: label, value, last year's value, change."""
    cards = []
    for key, label in HEADLINE_LABELS.items():
        figure = headline[key]
        is_ratio = key == "coverage"
        show = percent if is_ratio else (lambda v: "—" if v is None else f"{v:,}")
        change = figure.change
        if change is None:
            trend, change_text = "none", "—"
        else:
            trend = "up" if change > 0 else "down" if change < 0 else "flat"
            change_text = f"{'+' if change > 0 else ''}{change * 100:.1f}%"
        cards.append(
            {
                "key": key,
                "label": label,
                "value": show(figure.current),
                "previous": show(figure.previous),
                "change": change_text,
                "trend": trend,
            }
        )
    return cards
