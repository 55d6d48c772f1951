"""Demo data for guidance: the seeded hires' open checklist steps (the overdue lists' snapshot)."""

from apps.core.seeding import SeedContext

from .services import checklist_steps_refresh


def seed(context: SeedContext) -> None:
    # Seeded hires are bulk-written without the register's events: compute their steps once.
    written = checklist_steps_refresh()
    context.stdout.write(f"  {written} open checklist steps")
