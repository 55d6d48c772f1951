"""Saved searches and the alerts sent when a newly published vacancy matches one."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.notifications.services import notify

from ..models import SavedSearch, SavedSearchAlert, Vacancy, VacancyStatus

NEW_MATCH_TITLE = gettext_lazy("New vacancy for your search “%(search)s”: %(title)s")


@transaction.atomic
def saved_search_create(*, user: Any, name: str, query: str, email_alerts: bool = True):
    """Keep the user's current search for alerts; raises ValidationError on a duplicate name."""
    if SavedSearch.objects.filter(user=user, name=name).exists():
        raise ValidationError({"name": _("You already have a saved search with this name.")})
    search = SavedSearch(user=user, name=name, query=query[:1000], email_alerts=email_alerts)
    search.full_clean()
    search.save()
    return search


def saved_search_delete(*, user: Any, code: Any) -> None:
    """Delete one of the user's own saved searches; Http404 for anyone else's or a gone one."""
    deleted, _rows = SavedSearch.objects.filter(user=user, code=code).delete()
    if not deleted:
        # Someone else's search is answered as if it did not exist: no "deleted" that lies.
        raise Http404


def saved_search_alerts_send(*, vacancy_id: int) -> int:
    """Tell every saved search the published vacancy matches, once per search; returns count."""
    from ..selectors import vacancy_matches_query

    vacancy = Vacancy.objects.filter(pk=vacancy_id, status=VacancyStatus.PUBLISHED).first()
    if vacancy is None:
        return 0
    sent = 0
    searches = SavedSearch.objects.select_related("user").filter(user__is_active=True)
    for search in searches.iterator(chunk_size=500):
        if not vacancy_matches_query(vacancy=vacancy, query=search.query):
            continue
        with transaction.atomic():
            _alert, created = SavedSearchAlert.objects.get_or_create(
                saved_search=search, vacancy=vacancy
            )
            if not created:
                continue
            if search.email_alerts:
                notify(
                    recipient=search.user,
                    kind="vacancy.saved_search_match",
                    title=NEW_MATCH_TITLE,
                    params={"search": search.name, "title": vacancy.title_for_reader},
                    url=vacancy.get_absolute_url(),
                )
            sent += 1
    return sent
