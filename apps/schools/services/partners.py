"""Overseas partner (sister) schools, kept by the school's liaison or the center."""

from datetime import date
from typing import Any

from django.db import transaction

from apps.accounts.permissions import is_center_staff_actor
from apps.core.services import audit_record, model_snapshot

from ..models import PartnerSchool, School
from .schools import school_liaison_require

PARTNER_FIELDS = ["name", "country", "city", "since", "website"]


def _check_may_edit(actor: Any, school: School) -> None:
    # The partner list is the school's official record (an exchange visitor must come from a
    # listed partner), so only the liaison keeps it; colleagues read it.
    if not is_center_staff_actor(actor):
        school_liaison_require(actor, school)


@transaction.atomic
def partner_school_save(
    *,
    actor: Any,
    school: School,
    name: str,
    country: str,
    city: str,
    since: date,
    website: str = "",
    partner: PartnerSchool | None = None,
) -> PartnerSchool:
    """Create or update a partner school (liaison or center staff); audited."""
    _check_may_edit(actor, school)
    before = None
    if partner is None:
        partner = PartnerSchool(school=school)
    else:
        partner = PartnerSchool.objects.select_for_update().get(pk=partner.pk, school=school)
        before = model_snapshot(partner, PARTNER_FIELDS)
    partner.name, partner.country, partner.city = name, country, city
    partner.since, partner.website = since, website
    partner.full_clean()
    partner.save()
    audit_record(
        actor=actor,
        action="partner_school.create" if before is None else "partner_school.change",
        target=partner,
        before=before,
        after=model_snapshot(partner, PARTNER_FIELDS),
    )
    return partner


@transaction.atomic
def partner_school_delete(*, actor: Any, partner: PartnerSchool) -> None:
    """Delete a partner school link (liaison or center staff); audited."""
    _check_may_edit(actor, partner.school)
    audit_record(
        actor=actor,
        action="partner_school.delete",
        target=partner.school,
        before=model_snapshot(partner, PARTNER_FIELDS),
    )
    partner.delete()
