from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="vacancies.expire_vacancies")
def expire_vacancies() -> int:
    """Expire published vacancies whose contract start has passed."""
    return services.vacancies_expire(today=timezone.localdate())


@shared_task(
    name="vacancies.send_saved_search_alerts",
    autoretry_for=(ConnectionError,),
    retry_backoff=True,
    max_retries=5,
)
def send_saved_search_alerts(vacancy_id: int) -> int:
    """Alert the saved searches a newly published vacancy matches (once per search)."""
    return services.saved_search_alerts_send(vacancy_id=vacancy_id)
