"""Writes for offers: terms, the teacher's reply, and lapsing unanswered offers."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.admission.availability import AVAILABILITY_MESSAGES, OFFER_ACCEPTED
from apps.teachers.models import Teacher

from ..models import Application, ApplicationNote, ApplicationStatus, Offer, OfferStatus
from .pipeline import (
    application_transition,
    ensure_applicant,
    ensure_available,
    ensure_qualifies,
    ensure_school_owner,
    ensure_vacancy_open,
    locked,
    offer_transition,
)

S = ApplicationStatus
OFFER_TERMS = (
    "salary",
    "contract_start",
    "contract_end",
    "weekly_hours",
    "housing",
    "benefits",
    "reply_by",
)


def offer_terms_check(vacancy: Any, terms: dict[str, Any]) -> None:
    """Raise ValidationError (per field) for terms the school cannot offer for this vacancy."""
    errors: dict[str, str] = {}
    if terms["reply_by"] < timezone.localdate():
        errors["reply_by"] = _("The reply-by date cannot be in the past.")
    salary = terms["salary"]
    # The vacancy advertised this range and teachers applied to it; another salary is a new post.
    if salary is not None and not vacancy.salary_min <= salary <= vacancy.salary_max:
        errors["salary"] = _(
            "Offer a salary within the vacancy's advertised range: CNY %(low)s–%(high)s a month."
        ) % {"low": vacancy.salary_min, "high": vacancy.salary_max}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def offer_make(*, actor: Any, application: Application, terms: dict[str, Any]) -> Offer:
    """Offer the post on the given terms (the standard is checked again); the teacher is told."""
    application = locked(application)
    ensure_school_owner(actor, application)
    if application.status not in {S.SHORTLISTED, S.INTERVIEW}:
        raise ValidationError(_("Shortlist the applicant before making an offer."))
    ensure_vacancy_open(application.vacancy)
    if application.vacancy.open_posts < 1:
        raise ValidationError(_("All posts of this vacancy are filled."))
    offer_terms_check(application.vacancy, terms)
    ensure_qualifies(application.teacher, application.vacancy)
    Offer.objects.filter(application=application).delete()
    offer = Offer(application=application, created_by=actor, **{k: terms[k] for k in OFFER_TERMS})
    offer.full_clean()
    offer.save()
    application_transition(
        application,
        S.OFFERED,
        actor=actor,
        note_code=ApplicationNote.REPLY_BY,
        note_params={"date": offer.reply_by.isoformat()},
    )
    return offer


def _locked_offer(actor: Any, application: Application) -> tuple[Application, Offer]:
    # The teacher's row is the lock every reply of theirs queues on (two offers at once).
    Teacher.objects.select_for_update().filter(pk=application.teacher_id).first()
    application = locked(application)
    ensure_applicant(actor, application)
    offer = Offer.objects.select_for_update().filter(application=application).first()
    if application.status != S.OFFERED or offer is None or offer.status != OfferStatus.OPEN:
        raise ValidationError(_("There is no open offer to reply to."))
    if offer.reply_by < timezone.localdate():
        raise ValidationError(
            _("This offer expired on %(date)s; ask the school for a new one.")
            % {"date": offer.reply_by.isoformat()}
        )
    return application, offer


@transaction.atomic
def offer_accept(*, actor: Any, application: Application) -> Offer:
    """Accept an open offer before its reply-by date, unless the teacher is employed or holds
    another accepted offer (one accepted offer per teacher)."""
    application, offer = _locked_offer(actor, application)
    ensure_vacancy_open(application.vacancy)
    ensure_available(application.teacher, application.vacancy)
    offer_transition(offer, OfferStatus.ACCEPTED, actor=actor)
    try:
        with transaction.atomic():
            application_transition(application, S.ACCEPTED, actor=actor)
    except IntegrityError as error:
        # Another accepted offer won the race: said as the availability check says it.
        raise ValidationError(AVAILABILITY_MESSAGES[OFFER_ACCEPTED]) from error
    return offer


@transaction.atomic
def offer_decline(*, actor: Any, application: Application, note: str = "") -> Offer:
    """Turn an open offer down; the school is told."""
    application, offer = _locked_offer(actor, application)
    offer_transition(offer, OfferStatus.DECLINED, actor=actor)
    application_transition(application, S.DECLINED, actor=actor, note=note)
    return offer


def offers_lapse(*, today: date, offer_ids: Iterable[int] | None = None, actor: Any = None) -> int:
    """Lapse open offers (all, or only offer_ids) past their reply-by date; both sides are told."""
    count = 0
    due = Offer.objects.filter(status=OfferStatus.OPEN, reply_by__lt=today)
    if offer_ids is not None:
        due = due.filter(pk__in=list(offer_ids))
    due = due.values_list("pk", flat=True)
    for offer_id in list(due):
        with transaction.atomic():
            offer = (
                Offer.objects.select_for_update(skip_locked=True)
                .filter(pk=offer_id, status=OfferStatus.OPEN)
                .select_related("application")
                .first()
            )
            if offer is None:
                continue
            offer_transition(offer, OfferStatus.LAPSED, actor=actor)
            application = locked(offer.application)
            application_transition(
                application,
                S.DECLINED,
                actor=actor,
                note_code=ApplicationNote.OFFER_LAPSED,
                note_params={"reply_by": offer.reply_by.isoformat()},
                tell="both",
            )
            count += 1
    return count
