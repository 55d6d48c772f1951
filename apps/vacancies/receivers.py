"""Reactions to announcements from lower layers: thin, they call one service."""

from .services import vacancies_close_for_restricted_school


def close_vacancies_of_restricted_school(sender, *, school_id: int, **kwargs) -> None:
    vacancies_close_for_restricted_school(school_id=school_id)
