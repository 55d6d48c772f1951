"""Reactions to announcements from lower layers (sent after commit)."""

from .tasks import refresh_checklist_steps


def refresh_hire_steps(sender, *, employment_id: int, **kwargs) -> None:
    """A hire was made or its register changed: recompute its open steps on a worker.

    Sent after commit already, so the task is queued at once (delay_on_commit, as everywhere).

    Not in the request: the hire is already saved, so a failure here must not answer the
    school with an error; the nightly refresh repairs a lost message.
    """
    refresh_checklist_steps.delay_on_commit(employment_ids=[employment_id])
