"""Reactions to announcements from lower layers (sent after commit)."""

from .services import checklist_steps_refresh


def refresh_hire_steps(sender, *, employment_id: int, **kwargs) -> None:
    """A hire was made or its register changed: recompute its open steps right away."""
    checklist_steps_refresh(employment_ids=[employment_id])
