"""The employment register (contracts, schools, changes, reminders), interns and visits."""

from .agreements_and_visits import AgreementStatus, ExchangeVisit, InternshipAgreement
from .register import (
    ChangeKind,
    Employment,
    EmploymentChange,
    EmploymentReminder,
    EmploymentSchool,
    EmploymentStatus,
    PaymentMethod,
    ReminderSubject,
    TerminationReason,
    employment_file_to,
)

__all__ = [
    "AgreementStatus",
    "ChangeKind",
    "Employment",
    "EmploymentChange",
    "EmploymentReminder",
    "EmploymentSchool",
    "EmploymentStatus",
    "ExchangeVisit",
    "InternshipAgreement",
    "PaymentMethod",
    "ReminderSubject",
    "TerminationReason",
    "employment_file_to",
]
