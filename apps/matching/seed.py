"""Demo matching: one city-wide run, its best candidates pushed to the demo school's vacancies.

Emma (the demo teacher who is ready to be matched) also gets her best suggestion pushed, so
every demo login sees matching at work. A second run finds the run and stops.
"""

from apps.accounts.models import User
from apps.core.seeding import SeedContext
from apps.schools.selectors import school_for_user

from . import services
from .models import MatchRun, MatchSuggestion, RunKind, RunStatus

CENTER = "center@demo.hz-waijiao.cn"
SCHOOL = "school.lead@demo.hz-waijiao.cn"
TEACHER = "teacher.emma@demo.hz-waijiao.cn"
PUSHED_PER_VACANCY = 3


def seed(context: SeedContext) -> None:
    center = User.objects.filter(email=CENTER).first()
    if center is None or MatchRun.objects.filter(started_by=center, kind=RunKind.FULL).exists():
        return
    run = services.match_run_start(actor=center, queue=False)
    run = services.match_run_execute(run_id=run.pk)
    if run is None or run.status != RunStatus.DONE:
        context.stdout.write(f"  matching run did not finish: {run and run.failure_reason}")
        return
    school = school_for_user(User.objects.filter(email=SCHOOL).first())
    chosen = list(
        MatchSuggestion.objects.filter(
            run=run, vacancy__school=school, rank__lte=PUSHED_PER_VACANCY
        ).values_list("pk", flat=True)
    )
    emma_best = (
        MatchSuggestion.objects.filter(run=run, teacher__user__email=TEACHER)
        .order_by("-score", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    if emma_best is not None:
        chosen.append(emma_best)
    pushed = (
        services.recommendations_push(actor=center, run=run, suggestion_ids=chosen).pushed
        if chosen
        else 0
    )
    context.stdout.write(
        f"  matching: {run.counts.get('assigned', 0)} of {run.counts.get('capacity', 0)} places "
        f"filled in {run.timings.get('total', 0)} s; {pushed} suggestions pushed"
    )
