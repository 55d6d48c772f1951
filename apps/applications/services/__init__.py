"""Writes for applications, offers and interviews (the only code that changes them)."""

from .interviews import SlotProposal, interview_choose, interview_propose, interviews_remind
from .nudges import applications_nudge_idle
from .offers import OFFER_TERMS, offer_accept, offer_decline, offer_make, offers_lapse
from .pipeline import (
    application_apply,
    application_mark_hired,
    application_rank,
    application_reject,
    application_shortlist,
    application_withdraw,
    applications_close_for_vacancy,
    applications_reject_bulk,
    ensure_qualifies,
    ensure_school_owner,
    school_recipients,
    tell_school,
    tell_teacher,
)

__all__ = [
    "OFFER_TERMS",
    "SlotProposal",
    "application_apply",
    "application_mark_hired",
    "application_rank",
    "application_reject",
    "application_shortlist",
    "application_withdraw",
    "applications_close_for_vacancy",
    "applications_nudge_idle",
    "applications_reject_bulk",
    "ensure_qualifies",
    "ensure_school_owner",
    "interview_choose",
    "interview_propose",
    "interviews_remind",
    "offer_accept",
    "offer_decline",
    "offer_make",
    "offers_lapse",
    "school_recipients",
    "tell_school",
    "tell_teacher",
]
