"""Star level explanations: stored as codes and numbers, rendered in the reader's language."""

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Dimension
from .stars import CAP_GENERAL, CAP_SERIOUS, NO_RULE_MET, RULE_MET, TOO_FEW_QUARTERS


def _number(text: str) -> str:
    from decimal import Decimal

    return number_format(Decimal(text), decimal_pos=1)


def star_explanation_render(explanation: dict) -> str:
    """Return the explanation in the active language, e.g. "4★: mean 4.3 over 4 quarters; …"."""
    code = explanation.get("code")
    if code == TOO_FEW_QUARTERS:
        return ngettext(
            "No stars yet: %(quarters)s evaluated quarter of the %(needed)s needed.",
            "No stars yet: %(quarters)s evaluated quarters of the %(needed)s needed.",
            explanation["quarters"],
        ) % {"quarters": explanation["quarters"], "needed": explanation["needed"]}
    if code not in (RULE_MET, NO_RULE_MET):
        return ""
    params = {
        "level": explanation.get("uncapped") or explanation.get("level") or 0,
        "mean": _number(explanation["mean"]),
        "quarters": explanation["quarters"],
        "dimension": str(Dimension(explanation["lowest_dimension"]).label),
        "lowest": _number(explanation["lowest"]),
    }
    if code == RULE_MET:
        text = (
            ngettext(
                "%(level)s★: mean %(mean)s over %(quarters)s quarter; lowest “%(dimension)s” "
                "%(lowest)s",
                "%(level)s★: mean %(mean)s over %(quarters)s quarters; lowest “%(dimension)s” "
                "%(lowest)s",
                explanation["quarters"],
            )
            % params
        )
    else:
        text = (
            ngettext(
                "No stars: mean %(mean)s over %(quarters)s quarter meets no star rule; lowest "
                "“%(dimension)s” %(lowest)s",
                "No stars: mean %(mean)s over %(quarters)s quarters meets no star rule; lowest "
                "“%(dimension)s” %(lowest)s",
                explanation["quarters"],
            )
            % params
        )
    incidents = explanation.get("incidents") or 0
    if incidents:
        text += "; " + ngettext(
            "%(count)s quarter with a serious incident",
            "%(count)s quarters with a serious incident",
            incidents,
        ) % {"count": incidents}
    cap = explanation.get("cap")
    if cap == CAP_SERIOUS:
        text += "; " + _("no stars while a serious restriction is active")
    elif cap == CAP_GENERAL:
        text += "; " + _("at most %(cap)s★ while a general restriction is active") % {
            "cap": explanation.get("cap_level") or 0
        }
    return text + "."
