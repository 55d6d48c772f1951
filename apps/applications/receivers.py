"""Reactions to announcements from lower layers: thin, they call one service."""

from .services.pipeline import applications_close_for_closed_vacancy


def close_applications_of_closed_vacancy(sender, *, vacancy_id: int, **kwargs) -> None:
    applications_close_for_closed_vacancy(vacancy_id=vacancy_id)
