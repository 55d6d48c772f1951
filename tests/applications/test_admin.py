from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from apps.applications.models import ApplicationStatus, OfferStatus
from tests.applications.factories import OfferFactory


def test_lapse_action_lapses_only_the_selected_overdue_offers(admin_client, vacancy):
    yesterday = timezone.localdate() - timedelta(days=1)
    selected, other = (
        OfferFactory(application__vacancy=vacancy, reply_by=yesterday) for _ in range(2)
    )
    still_open = OfferFactory(application__vacancy=vacancy)

    admin_client.post(
        reverse("admin:applications_offer_changelist"),
        {"action": "lapse_overdue", "_selected_action": [selected.pk, still_open.pk]},
    )

    for offer in (selected, other, still_open):
        offer.refresh_from_db()
    assert selected.status == OfferStatus.LAPSED
    assert selected.application.status == ApplicationStatus.DECLINED
    assert other.status == OfferStatus.OPEN
    assert still_open.status == OfferStatus.OPEN
