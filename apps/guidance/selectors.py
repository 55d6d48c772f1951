"""Reads for guidance: procedures, and each hire's checklist computed from the register.

A checklist is computed on read from the employment register's change rows, so a step closes
itself the moment the register records the event that completes it: the rule lives here once,
in `_step_for`, and the pages and reminders call it. The overdue lists and counts read the
OpenStep snapshot services.checklist_steps_refresh writes from the same computation.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Min, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.models import PolicySettings
from apps.core.selectors import policy_settings_get
from apps.employment.models import ChangeKind, Employment, EmploymentChange, EmploymentStatus
from apps.employment.selectors import (
    EmploymentState,
    employment_readable_by,
    employment_school_is_lead,
    employment_state,
    employments_of_school_staff,
)
from apps.teachers.models import Category

from .caching import (
    CHECKLIST_REFERENCE_SECONDS,
    HIRE_ROWS_SECONDS,
    OVERDUE_CACHE_SECONDS,
    checklist_versions,
    overdue_version,
)
from .clocks import SHANGHAI, Due, due_from
from .models import (
    Checklist,
    ChecklistEntry,
    CompletedBy,
    EntryStatus,
    LimitUnit,
    OpenStep,
    Procedure,
    Situation,
    Stage,
    StartEvent,
    Validity,
)

TODO = "todo"
DONE = EntryStatus.DONE
NOT_APPLICABLE = EntryStatus.NOT_APPLICABLE
STATUS_LABELS = {
    TODO: gettext_lazy("To do"),
    DONE: EntryStatus.DONE.label,
    NOT_APPLICABLE: EntryStatus.NOT_APPLICABLE.label,
}

LIMIT_TEXTS = {
    LimitUnit.CALENDAR_DAYS: gettext_lazy("within %(amount)s days of %(event)s"),
    LimitUnit.WORKING_DAYS: gettext_lazy("within %(amount)s working days of %(event)s"),
    LimitUnit.HOURS: gettext_lazy("within %(amount)s hours of %(event)s"),
    LimitUnit.MONTHS: gettext_lazy("within %(amount)s months of %(event)s"),
    LimitUnit.BEFORE_EXPIRY: gettext_lazy("at least %(amount)s days before %(event)s"),
}
VALIDITY_SETTINGS = {
    Validity.CRIMINAL_RECORD: "criminal_record_validity_months",
    Validity.HEALTH: "health_certificate_validity_months",
}
COMPLETING_KINDS = {
    CompletedBy.ARRIVAL: ChangeKind.ARRIVAL,
    CompletedBy.WORK_PERMIT: ChangeKind.WORK_PERMIT,
    CompletedBy.RESIDENCE_PERMIT: ChangeKind.RESIDENCE_PERMIT,
    CompletedBy.TEACHING_PLAN: ChangeKind.TEACHING_PLAN_FILED,
    CompletedBy.HIRE_REPORTED: ChangeKind.HIRE_REPORTED,
    CompletedBy.DEPARTURE: ChangeKind.DEPARTURE,
}
OVERDUE_ROW_FIELDS = ("due_on", "due_at", "time_assumed", "employment", "procedure")
# "Not looked up yet", as opposed to None, "the hire has no checklist row".
UNKNOWN = object()
# Stages whose steps happen in China: done before the teacher arrived is impossible.
IN_CHINA_STAGES = {Stage.ARRIVAL, Stage.DURING, Stage.LEAVING}


# --- Procedures -------------------------------------------------------------------------------


def procedure_limit_text(procedure: Procedure, policy: PolicySettings) -> str:
    """Return the time limit in words ("within 30 days of entry into China"), or ""."""
    if not procedure.has_limit or not procedure.limit_setting:
        return ""
    return str(
        LIMIT_TEXTS[procedure.limit_unit]
        % {
            "amount": procedure_limit_amount(procedure, policy),
            "event": StartEvent(procedure.limit_starts_from).label,
        }
    )


def procedure_limit_amount(procedure: Procedure, policy: PolicySettings) -> int | None:
    """Return the number of the procedure's time limit, read from the policy settings."""
    if not procedure.limit_setting:
        return None
    return getattr(policy, procedure.limit_setting)


def material_validity_months(material: Any, policy: PolicySettings) -> int | None:
    """Return how many months old a material may be (from the policy settings), or None."""
    name = VALIDITY_SETTINGS.get(material.validity)
    return getattr(policy, name) if name else None


def procedure_list(
    *, query: str = "", category: int | None = None, stage: str = ""
) -> QuerySet[Procedure]:
    """Return the published procedures, searched in both languages and filtered."""
    procedures = Procedure.objects.filter(is_published=True)
    if query:
        words = Q()
        for name in ("title", "summary", "conditions", "authority"):
            for suffix in ("en", "zh_hans"):
                words |= Q(**{f"{name}_{suffix}__icontains": query})
        procedures = procedures.filter(words)
    if category is not None:
        # Comma lists: "" is every category; match the number as a whole item.
        procedures = procedures.filter(
            Q(categories="")
            | Q(categories=str(category))
            | Q(categories__startswith=f"{category},")
            | Q(categories__endswith=f",{category}")
            | Q(categories__contains=f",{category},")
        )
    if stage:
        procedures = procedures.filter(stage=stage)
    return procedures.order_by("sort_order", "id")


def procedure_get(*, slug: str) -> Procedure:
    """Return one published procedure with its steps and materials; 404 if unknown."""
    procedure = (
        Procedure.objects.filter(is_published=True, slug=slug)
        .prefetch_related("steps", "materials")
        .first()
    )
    if procedure is None:
        raise Http404
    return procedure


def checklist_procedures() -> list[Procedure]:
    """Return the published procedures that are steps of a hire's checklist."""
    return list(
        Procedure.objects.filter(is_published=True, on_checklist=True).order_by("sort_order", "id")
    )


# --- Checklists -------------------------------------------------------------------------------


@dataclass
class Step:
    """One step of a hire's checklist, as it stands today."""

    procedure: Procedure
    status: str
    limit_text: str = ""
    due: Due | None = None
    anchor_on: date | None = None
    waiting_for: str = ""
    done_on: date | None = None
    closed_by_register: bool = False
    reason: str = ""
    entry: ChecklistEntry | None = None
    overdue: bool = False
    time_assumed: bool = False

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def sort_key(self) -> tuple:
        return (self.due.on if self.due else date.max, self.procedure.sort_order)


@dataclass
class HireChecklist:
    """A hire's checklist: its steps in due order and the facts they were computed from."""

    employment: Employment
    already_in_china: bool
    category: int | None
    state: EmploymentState
    arrival_at: datetime | None
    steps: list[Step] = field(default_factory=list)

    @property
    def overdue(self) -> list[Step]:
        return [step for step in self.steps if step.overdue]

    @property
    def next_step(self) -> Step | None:
        open_steps = [step for step in self.steps if step.status == TODO]
        return open_steps[0] if open_steps else None

    @property
    def open_count(self) -> int:
        return sum(step.status == TODO for step in self.steps)


def _latest(changes: list[EmploymentChange], kind: str) -> EmploymentChange | None:
    found = [change for change in changes if change.kind == kind]
    return max(found, key=lambda c: (c.effective_on, c.recorded_at, c.pk or 0)) if found else None


def _applies(procedure: Procedure, *, category: int | None, in_china: bool, cluster: bool) -> bool:
    if procedure.cluster_only and not cluster:
        return False
    if procedure.situation == Situation.FROM_ABROAD and in_china:
        return False
    if procedure.situation == Situation.IN_CHINA and not in_china:
        return False
    categories = procedure.category_list
    # A teacher whose category is not recorded sees every step rather than none.
    return not categories or category is None or category in categories


def _anchor(
    event: str, *, employment: Employment, state: EmploymentState, changes: list, in_china: bool
) -> date | None:
    if event in {StartEvent.ARRIVAL, StartEvent.MOVING_IN}:
        # A teacher already in China changes employer: the clocks run from the contract start.
        return employment.contract_start if in_china else state.arrival
    if event == StartEvent.CONTRACT_START:
        return employment.contract_start
    if event == StartEvent.CONTRACT_END:
        return state.ended_on or state.contract_end
    if event == StartEvent.RENEWAL:
        renewal = _latest(changes, ChangeKind.RENEWAL)
        return renewal.effective_on if renewal else None
    if event == StartEvent.WORK_PERMIT_EXPIRY:
        return state.work_permit_expires
    if event == StartEvent.RESIDENCE_PERMIT_EXPIRY:
        return state.residence_permit_expires
    return None  # the application's acceptance and graduation are not in the register


def _waiting_text(event: str) -> str:
    return _("Counts from %(event)s, which is not recorded yet.") % {
        "event": StartEvent(event).label
    }


def _step_for(
    procedure: Procedure,
    *,
    employment: Employment,
    state: EmploymentState,
    changes: list[EmploymentChange],
    entry: ChecklistEntry | None,
    in_china: bool,
    policy: PolicySettings,
    now: datetime,
    limit_text: str,
) -> Step:
    step = Step(procedure=procedure, status=TODO, limit_text=limit_text)
    event = procedure.limit_starts_from
    if procedure.has_limit:
        step.anchor_on = _anchor(
            event, employment=employment, state=state, changes=changes, in_china=in_china
        )
        if step.anchor_on is None and event == StartEvent.RENEWAL:
            # Only a renewal starts this clock, and most contracts are never renewed.
            step.status = NOT_APPLICABLE
            step.reason = _("Only needed after a contract renewal.")
            return step
        if step.anchor_on is None:
            step.waiting_for = _waiting_text(event)
        else:
            arrival = _latest(changes, ChangeKind.ARRIVAL)
            at = (
                arrival.arrival_time
                if event == StartEvent.MOVING_IN and arrival and not in_china
                else None
            )
            step.time_assumed = procedure.limit_unit == LimitUnit.HOURS and at is None
            step.due = due_from(
                unit=procedure.limit_unit,
                amount=procedure_limit_amount(procedure, policy),
                anchor=step.anchor_on,
                anchor_time=at,
            )
    # 1. The register completes the step: an event on or after the one the clock counts from.
    kind = COMPLETING_KINDS.get(procedure.completed_by)
    completing = _latest(changes, kind) if kind else None
    if completing is not None and (
        procedure.limit_starts_from != StartEvent.RENEWAL
        or (step.anchor_on is not None and completing.effective_on >= step.anchor_on)
    ):
        step.status, step.done_on, step.closed_by_register = DONE, completing.effective_on, True
        return step
    # 2. Before-expiry steps recur with each permit: a mark counts for the expiry it was made for.
    if entry is not None and (
        procedure.limit_unit != LimitUnit.BEFORE_EXPIRY or entry.anchor_on == step.anchor_on
    ):
        step.entry, step.status = entry, entry.status
        step.done_on, step.reason = entry.done_on, entry.reason
        return step
    # 3. Facts that make the step unnecessary.
    if procedure.limit_unit == LimitUnit.BEFORE_EXPIRY and step.anchor_on is not None:
        if step.anchor_on >= state.contract_end:
            step.status = NOT_APPLICABLE
            step.reason = _("The permit is valid until after the contract ends.")
            return step
    ended_on = state.ended_on or employment.ended_on
    if ended_on is not None and procedure.stage != Stage.LEAVING:
        if step.due is None or step.due.on > ended_on:
            step.status = NOT_APPLICABLE
            step.reason = _("The employment ended first.")
            return step
    step.overdue = step.due is not None and step.due.is_overdue(now)
    return step


def _arrival_moment(changes: list[EmploymentChange]) -> datetime | None:
    arrival = _latest(changes, ChangeKind.ARRIVAL)
    if arrival is None:
        return None
    return datetime.combine(arrival.effective_on, arrival.arrival_time or time(0), SHANGHAI)


def _category(employment: Employment) -> int | None:
    return Category.INTERN if employment.is_intern else employment.teacher.category


def hire_checklist_build(
    *,
    employment: Employment,
    procedures: list[Procedure],
    policy: PolicySettings,
    now: datetime,
    changes: list[EmploymentChange] | None = None,
    entries: Iterable[ChecklistEntry] | None = None,
    checklist: Checklist | None | object = UNKNOWN,
    limit_texts: dict[int, str] | None = None,
) -> HireChecklist:
    """Compute a hire's checklist from its register rows (no queries if all are passed in)."""
    if changes is None:
        changes = list(employment.changes.all())
    if entries is None:
        entries = employment.guidance_entries.all()
    if checklist is UNKNOWN:
        checklist = Checklist.objects.filter(employment=employment).first()
    in_china = bool(checklist and checklist.already_in_china)
    state = employment_state(employment=employment, changes=changes)
    category = _category(employment)
    marks = {entry.procedure_id: entry for entry in entries}
    result = HireChecklist(
        employment=employment,
        already_in_china=in_china,
        category=category,
        state=state,
        arrival_at=None if in_china else _arrival_moment(changes),
    )
    for procedure in procedures:
        if not _applies(
            procedure, category=category, in_china=in_china, cluster=employment.is_cluster
        ):
            continue
        result.steps.append(
            _step_for(
                procedure,
                employment=employment,
                state=state,
                changes=changes,
                entry=marks.get(procedure.pk),
                in_china=in_china,
                policy=policy,
                now=now,
                limit_text=(
                    limit_texts[procedure.pk]
                    if limit_texts is not None
                    else procedure_limit_text(procedure, policy)
                ),
            )
        )
    result.steps.sort(key=lambda step: step.sort_key)
    return result


# The cached register rows' shape: change it with RegisterEvent and EVENT_FIELDS, so a release
# never reads rows an older one cached.
HIRE_ROWS_FORMAT = 1


@dataclass(frozen=True)
class RegisterEvent:
    """The fields of a register change the clocks read: no encrypted permit number to decrypt."""

    pk: int
    employment_id: int
    kind: str
    effective_on: date
    recorded_at: datetime
    arrival_time: time | None
    expires_on: date | None
    new_contract_end: date | None
    permit_number: str = ""


EVENT_FIELDS = (
    "pk",
    "employment_id",
    "kind",
    "effective_on",
    "recorded_at",
    "arrival_time",
    "expires_on",
    "new_contract_end",
)


def hire_checklists(
    employments: QuerySet[Employment], *, now: datetime | None = None
) -> list[HireChecklist]:
    """Compute the checklists of many hires with a fixed number of queries."""
    now = now or timezone.now()
    # Subqueries, not lists of ids: a city's employments exceed SQLite's parameter limit.
    ids = employments.values("pk")
    employments = list(employments.select_related("teacher").defer("teacher__passport_number"))
    if not employments:
        return []
    policy = policy_settings_get()
    procedures = checklist_procedures()
    limit_texts = {p.pk: procedure_limit_text(p, policy) for p in procedures}
    events: dict[int, list] = defaultdict(list)
    for row in EmploymentChange.objects.filter(employment_id__in=ids).values_list(*EVENT_FIELDS):
        event = RegisterEvent(*row)
        events[event.employment_id].append(event)
    entries: dict[int, list] = defaultdict(list)
    for entry in ChecklistEntry.objects.filter(employment_id__in=ids):
        entries[entry.employment_id].append(entry)
    checklists = {c.employment_id: c for c in Checklist.objects.filter(employment_id__in=ids)}
    return [
        hire_checklist_build(
            employment=employment,
            procedures=procedures,
            policy=policy,
            now=now,
            changes=events[employment.pk],
            entries=entries[employment.pk],
            checklist=checklists.get(employment.pk),
            limit_texts=limit_texts,
        )
        for employment in employments
    ]


@dataclass(frozen=True)
class _ChecklistInputs:
    procedures: list[Procedure]
    policy: PolicySettings
    events: list[RegisterEvent]
    entries: list[ChecklistEntry]


def _checklist_inputs(employment: Employment) -> _ChecklistInputs:
    """Return what a hire's checklist is computed from besides its own row, from the cache.

    The procedures and policy are cached until either is edited, the hire's register changes
    and marks until one of them is written (apps/guidance/caching.py). Deleting a login nulls
    their `recorded_by` with a plain UPDATE that bumps nothing: the cached rows' recorder
    may be stale, so nothing that reads them shows it.
    """
    reference_version, hire_version = checklist_versions(employment_pk=employment.pk)
    reference_key = f"guidance:checklist-reference:{reference_version}"
    # By the code too: a number a new database gives another hire never meets old rows.
    rows_key = f"guidance:hire-rows:{HIRE_ROWS_FORMAT}:{employment.code}:{hire_version}"
    found = cache.get_many([reference_key, rows_key])
    if reference_key in found:
        procedures, policy = found[reference_key]
    else:
        procedures, policy = checklist_procedures(), policy_settings_get()
        cache.set(reference_key, (procedures, policy), CHECKLIST_REFERENCE_SECONDS)
    if rows_key in found:
        events, entries = found[rows_key]
    else:
        changes = EmploymentChange.objects.filter(employment_id=employment.pk)
        events = [RegisterEvent(*row) for row in changes.values_list(*EVENT_FIELDS)]
        # One mark per procedure (a constraint): no need for the model's ordering join.
        entries = list(ChecklistEntry.objects.filter(employment_id=employment.pk).order_by())
        cache.set(rows_key, (events, entries), HIRE_ROWS_SECONDS)
    return _ChecklistInputs(procedures=procedures, policy=policy, events=events, entries=entries)


def hire_checklist_get(
    *, employment: Employment, now: datetime | None = None, reread: bool = True
) -> HireChecklist:
    """Compute one hire's checklist.

    `reread=False` computes it from `employment` as passed (its teacher loaded, and its
    checklist row if read with it), for a page that has just read the employment, with the
    rest from the cache (_checklist_inputs).
    """
    if reread:
        return hire_checklists(Employment.objects.filter(pk=employment.pk), now=now)[0]
    inputs = _checklist_inputs(employment)
    try:
        checklist = employment.guidance_checklist
    except Checklist.DoesNotExist:  # no situation recorded yet
        checklist = None
    return hire_checklist_build(
        employment=employment,
        procedures=inputs.procedures,
        policy=inputs.policy,
        now=now or timezone.now(),
        changes=inputs.events,
        entries=inputs.entries,
        checklist=checklist,
    )


# What a checklist, its timeline and its pages read of the hire (the services read it again).
CHECKLIST_EMPLOYMENT_FIELDS = (
    "code",
    "status",
    "is_intern",
    "cluster",
    "contract_start",
    "contract_end",
    "ended_on",
    "school",
    "school__code",
    "school__name",
    "school__name_en",
    "school__name_zh_hans",
    "teacher",
    "teacher__code",
    "teacher__user",
    "teacher__legal_name",
    "teacher__category",
    "guidance_checklist__already_in_china",
)


def employment_for_checklist(*, user: Any, code: Any) -> Employment:
    """Return an employment whose checklist the user may see; 404 for anyone else's.

    The school's staff (lead or cluster member) and the teacher see their own; center staff
    see every one.
    """
    # The checklist pages read the hire's dates, teacher and school (CHECKLIST_EMPLOYMENT_FIELDS):
    # not the wide rows, vacancy, cluster and shares the register's pages read. Read by its
    # code, then checked: one small query, not a join through the school's employments.
    employment = (
        Employment.objects.filter(code=code)
        .select_related("teacher", "school", "guidance_checklist")
        .only(*CHECKLIST_EMPLOYMENT_FIELDS)
        .first()
    )
    if employment is None or not employment_readable_by(user=user, employment=employment):
        raise Http404
    return employment


def checklist_may_mark(*, user: Any, employment: Employment) -> bool:
    """Access rule: the lead school's staff and the teacher mark steps; others only read."""
    if user.is_school_staff:
        return employment_school_is_lead(user=user, employment=employment)
    if user.is_teacher:
        return employment.teacher.user_id == user.pk
    return False


def _overdue_q(now: datetime) -> Q:
    # As Due.is_overdue reads a due date: past the moment for hour limits, else past the day.
    today = now.astimezone(SHANGHAI).date()
    return Q(due_at__lt=now) | Q(due_at__isnull=True, due_on__lt=today)


def _overdue_steps(employments: QuerySet[Employment] | None, *, now: datetime | None) -> QuerySet:
    """Return the overdue open steps of the active hires among `employments` (None: all).

    Reads the snapshot services.checklist_steps_refresh keeps.
    """
    now = now or timezone.now()
    steps = OpenStep.objects.filter(employment__status=EmploymentStatus.ACTIVE)
    if employments is not None:
        steps = steps.filter(employment__in=employments.values("pk"))
    return (
        steps.filter(_overdue_q(now))
        .select_related("employment__teacher__user", "employment__school", "procedure")
        # The lists show the teacher, the school, the step and its due date: no wide rows.
        .only(
            *OVERDUE_ROW_FIELDS,
            "employment__code",
            "employment__school_id",
            "employment__teacher__code",
            "employment__teacher__legal_name",
            "employment__teacher__user__email",
            "employment__school__name",
            "employment__school__name_en",
            "employment__school__name_zh_hans",
            "procedure__title",
            "procedure__title_en",
            "procedure__title_zh_hans",
            "procedure__sort_order",
        )
        .order_by("due_on", "procedure__sort_order", "employment__school_id", "employment_id")
    )


def overdue_steps_for_school(*, user: Any, now: datetime | None = None) -> QuerySet:
    """Return every overdue step (OpenStep rows) of the school's active hires."""
    return _overdue_steps(employments_of_school_staff(user=user), now=now)


def overdue_steps_all(*, now: datetime | None = None) -> QuerySet:
    """Return every overdue step (OpenStep rows) of every active hire (center queue)."""
    return _overdue_steps(None, now=now)


def overdue_step_count_all(*, now: datetime | None = None) -> int:
    """Count the overdue steps of every active hire, for the center's work queue."""
    return overdue_steps_all(now=now).count()


@dataclass(frozen=True)
class OverdueSummary:
    """The center's overdue queue: how many steps, and a key naming exactly that list."""

    count: int
    key: str


def overdue_summary_all(*, now: datetime | None = None) -> OverdueSummary:
    """Count every active hire's overdue steps (cached) and name the list for cached pages.

    With the same rows (one version) and Shanghai day, steps only become overdue as hour
    limits pass, so the count names the list. The count is kept until a write bumps the
    version, the day or the next hour limit passes, or OVERDUE_CACHE_SECONDS run out.
    """
    now = now or timezone.now()
    stamp = f"{overdue_version()}:{now.astimezone(SHANGHAI).date().isoformat()}"
    key = f"guidance:overdue-count:{stamp}"
    cached = cache.get(key)
    if cached is None or (cached[1] is not None and cached[1] < now):
        figures = OpenStep.objects.filter(employment__status=EmploymentStatus.ACTIVE).aggregate(
            count=Count("pk", filter=_overdue_q(now)),
            next_due=Min("due_at", filter=Q(due_at__gte=now)),
        )
        cached = (figures["count"], figures["next_due"])
        cache.set(key, cached, OVERDUE_CACHE_SECONDS)
    return OverdueSummary(count=cached[0], key=f"{stamp}:{cached[0]}")


@dataclass(frozen=True)
class TimelineItem:
    """One dated point on a hire's timeline."""

    on: date
    label: str
    kind: str  # "event", "done", "due", "overdue", "today"
    at: datetime | None = None


def hire_timeline(*, checklist: HireChecklist, today: date) -> list[TimelineItem]:
    """Arrival → registration → permits → renewals → end, in date order with today marked."""
    state, employment = checklist.state, checklist.employment
    items = [TimelineItem(employment.contract_start, _("Contract starts"), "event")]
    if state.arrival:
        items.append(TimelineItem(state.arrival, _("Arrival in China"), "event"))
    for step in checklist.steps:
        title = str(step.procedure.title)
        if step.status == DONE and step.done_on:
            items.append(TimelineItem(step.done_on, title, "done"))
        elif step.status == TODO and step.due:
            items.append(
                TimelineItem(step.due.on, title, "overdue" if step.overdue else "due", step.due.at)
            )
    if state.work_permit_expires:
        items.append(TimelineItem(state.work_permit_expires, _("Work permit expires"), "event"))
    if state.residence_permit_expires:
        items.append(
            TimelineItem(state.residence_permit_expires, _("Residence permit expires"), "event")
        )
    end = state.ended_on or state.contract_end
    items.append(
        TimelineItem(end, _("Employment ended") if state.ended_on else _("Contract ends"), "event")
    )
    items.append(TimelineItem(today, _("Today"), "today"))
    order = {"event": 0, "done": 1, "overdue": 2, "due": 3, "today": 4}
    return sorted(items, key=lambda item: (item.on, order[item.kind]))
