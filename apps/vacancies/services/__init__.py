"""Writes for vacancies (the only code that changes them)."""

from .saved_searches import saved_search_alerts_send, saved_search_create, saved_search_delete
from .vacancies import (
    EDITABLE_STATUSES,
    KEY_FIELDS,
    ClusterShare,
    cluster_validate,
    vacancies_close_for_restricted_school,
    vacancies_expire,
    vacancy_approve,
    vacancy_close,
    vacancy_copy,
    vacancy_create,
    vacancy_mark_filled,
    vacancy_send_back,
    vacancy_submit,
    vacancy_update,
    vacancy_withdraw,
)

__all__ = [
    "EDITABLE_STATUSES",
    "KEY_FIELDS",
    "ClusterShare",
    "cluster_validate",
    "saved_search_alerts_send",
    "saved_search_create",
    "saved_search_delete",
    "vacancies_close_for_restricted_school",
    "vacancies_expire",
    "vacancy_approve",
    "vacancy_close",
    "vacancy_copy",
    "vacancy_create",
    "vacancy_mark_filled",
    "vacancy_send_back",
    "vacancy_submit",
    "vacancy_update",
    "vacancy_withdraw",
]
