"""Writes for short-term exchange visits from partner schools."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.dates import add_months
from apps.core.selectors import policy_settings_get
from apps.core.services import audit_record
from apps.credit.selectors import POST_BLOCK_UNVERIFIED, school_post_block
from apps.schools.models import PartnerSchool
from apps.schools.selectors import school_for_user

from ..models import ExchangeVisit


def visit_limit_check(*, arrival: date, departure: date) -> None:
    """Refuse a visit longer than the policy's calendar months."""
    months = policy_settings_get().exchange_visit_max_months
    limit = add_months(arrival, months)
    if departure > limit:
        raise ValidationError(
            {
                "departure": _(
                    "A short-term exchange visit lasts at most %(months)s months: "
                    "leave by %(date)s."
                )
                % {"months": months, "date": limit.isoformat()}
            }
        )


@transaction.atomic
def exchange_visit_register(
    *,
    actor: Any,
    partner_school: PartnerSchool,
    visitor_name: str,
    nationality: str,
    passport_number: str,
    arrival: date,
    departure: date,
    purpose: str,
    subjects=(),
) -> ExchangeVisit:
    """Register a visiting teacher from one of the school's partner schools."""
    school = school_for_user(actor)
    if school is None or partner_school.school_id != school.pk:
        raise PermissionDenied
    block = school_post_block(school, on=timezone.localdate())
    if block == POST_BLOCK_UNVERIFIED:
        raise ValidationError(_("Your school can register visits once the center has verified it."))
    if block is not None:
        raise ValidationError(
            _("A credit restriction on your school is in force: it cannot register visits.")
        )
    visit_limit_check(arrival=arrival, departure=departure)
    visit = ExchangeVisit(
        school=school,
        partner_school=partner_school,
        visitor_name=visitor_name.strip(),
        nationality=nationality,
        passport_number=passport_number.strip().upper(),
        arrival=arrival,
        departure=departure,
        purpose=purpose,
        created_by=actor,
    )
    visit.full_clean()
    visit.save()
    visit.subjects.set(subjects)
    audit_record(
        actor=actor,
        action="exchange_visit.registered",
        target=visit,
        after={"arrival": arrival.isoformat(), "departure": departure.isoformat()},
    )
    return visit
