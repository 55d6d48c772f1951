"""Readable explanations of the engine's codes: component labels and each component's share."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .engine import COMPONENT_CODES

COMPONENT_LABELS = {
    "subject": _("Subjects"),
    "level": _("School levels"),
    "qualifications": _("Degree and certificate"),
    "experience": _("Years of teaching"),
    "district": _("Preferred district"),
    "salary": _("Salary expectation"),
    "start_date": _("Start date"),
    "chinese": _("Chinese proficiency"),
    "star_level": _("Star rating"),
    "red_list": _("Red list"),
    "evaluation": _("Evaluations"),
}


@dataclass(frozen=True)
class ComponentLine:
    code: str
    label: str
    value: float  # 0..1
    weight: float  # share of the score, 0..1
    points: float  # value * weight * 100

    @property
    def percent(self) -> int:
        return round(self.value * 100)

    @property
    def weight_percent(self) -> int:
        return round(self.weight * 100)


def component_lines(components: dict[str, float], weights: dict[str, float]) -> list[ComponentLine]:
    """Return the pair's components in engine order with weights normalised over those shown."""
    codes = [code for code in COMPONENT_CODES if code in components]
    total = sum(weights.get(code, 0) for code in codes) or 1
    return [
        ComponentLine(
            code,
            str(COMPONENT_LABELS[code]),
            components[code],
            weights.get(code, 0) / total,
            components[code] * weights.get(code, 0) / total * 100,
        )
        for code in codes
    ]
