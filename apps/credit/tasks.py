from celery import shared_task


@shared_task(name="credit.sweep_records")
def sweep_records() -> dict[str, int]:
    """Activate, expire and delete credit records as their dates pass (safe to run twice)."""
    from .services import credit_records_sweep

    return credit_records_sweep()


@shared_task(name="credit.recompute_star_levels")
def recompute_star_levels(actor_id: int | None = None) -> int:
    """Recompute every teacher's star level (after the star rules changed)."""
    from apps.accounts.models import User

    from .models import StarChangeReason
    from .services import star_levels_recompute_all

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return star_levels_recompute_all(actor=actor, reason=StarChangeReason.RULES_CHANGED)
