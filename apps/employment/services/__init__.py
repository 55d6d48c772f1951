"""Writes for the employment register (the only code that changes it)."""

from .hire import employment_hire, intern_limit_check
from .interns import internship_agreement_decide, internship_agreement_submit
from .register import CHANGE_FIELDS, employment_change_record, employments_remind_expiry
from .visits import exchange_visit_register, visit_limit_check

__all__ = [
    "CHANGE_FIELDS",
    "employment_change_record",
    "employment_hire",
    "employments_remind_expiry",
    "exchange_visit_register",
    "intern_limit_check",
    "internship_agreement_decide",
    "internship_agreement_submit",
    "visit_limit_check",
]
