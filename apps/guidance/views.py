from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.models import Role
from apps.accounts.permissions import center_staff_required, role_required
from apps.core.forms import add_service_errors
from apps.core.fragments import fragment_with_forms
from apps.core.pagination import page_of
from apps.core.selectors import policy_settings_get
from apps.teachers.models import Category

from . import selectors, services
from .caching import CHECKLIST_ROWS_SECONDS, OVERDUE_CACHE_SECONDS, checklist_rows_key
from .forms import ProcedureFilterForm, SituationForm, StepMarkForm
from .models import Procedure

checklist_reader_required = role_required(Role.SCHOOL_STAFF, Role.TEACHER, Role.CENTER_STAFF)
OVERDUE_PAGE_SIZE = 25


def procedure_index(request: HttpRequest) -> HttpResponse:
    form = ProcedureFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    procedures = selectors.procedure_list(
        query=filters.get("q") or "",
        category=filters.get("category"),
        stage=filters.get("stage") or "",
    )
    policy = policy_settings_get()
    rows = [(p, selectors.procedure_limit_text(p, policy)) for p in procedures]
    return render(request, "guidance/procedure_index.html", {"form": form, "rows": rows})


def procedure_detail(request: HttpRequest, slug: str) -> HttpResponse:
    procedure = selectors.procedure_get(slug=slug)
    policy = policy_settings_get()
    materials = [
        (material, selectors.material_validity_months(material, policy))
        for material in procedure.materials.all()
    ]
    context = {
        "procedure": procedure,
        "limit_text": selectors.procedure_limit_text(procedure, policy),
        "materials": materials,
        "categories": [Category(number).label for number in procedure.category_list],
    }
    return render(request, "guidance/procedure_detail.html", context)


def _mark_prefix(procedure: Procedure) -> str:
    """The field prefix of a step's mark form: one page holds a form per open step."""
    return f"s{procedure.pk}"


def _checklist_page(
    request: HttpRequest, employment, *, failed=None, situation_form=None, status=200
) -> HttpResponse:
    checklist = selectors.hire_checklist_get(employment=employment, reread=False)
    may_mark = selectors.checklist_may_mark(user=request.user, employment=employment)
    # A form that failed is shown with its errors; every other open step's blank form is
    # written out from this one (guidance/_step_mark_fields.html), not built once per step.
    rows = [
        (
            step,
            _mark_prefix(step.procedure),
            failed[1] if failed and failed[0] == step.procedure.pk else None,
        )
        for step in checklist.steps
    ]
    rows_context = {
        "employment": employment,
        "rows": rows,
        "mark_form": StepMarkForm(),
        "may_mark": may_mark,
    }
    # Rows without a failed form are the same for every reader who may (or may not) mark.
    rows_html = None
    if failed is None:
        rows_html = fragment_with_forms(
            request,
            template_name="guidance/_checklist_rows.html",
            context=rows_context,
            key=checklist_rows_key(
                checklist=checklist, may_mark=may_mark, today=timezone.localdate()
            ),
            seconds=CHECKLIST_ROWS_SECONDS,
        )
    context = {
        **rows_context,
        "checklist": checklist,
        "rows_html": rows_html,
        "may_set_situation": may_mark and request.user.is_school_staff,
        "situation_form": situation_form
        or SituationForm(initial={"already_in_china": checklist.already_in_china}),
    }
    return render(request, "guidance/checklist.html", context, status=status)


@checklist_reader_required
def checklist(request: HttpRequest, code) -> HttpResponse:
    employment = selectors.employment_for_checklist(user=request.user, code=code)
    return _checklist_page(request, employment)


@require_POST
@checklist_reader_required
def step_mark(request: HttpRequest, code, procedure_code) -> HttpResponse:
    employment = selectors.employment_for_checklist(user=request.user, code=code)
    procedure = get_object_or_404(Procedure, code=procedure_code)
    form = StepMarkForm(request.POST, request.FILES, prefix=_mark_prefix(procedure))
    if form.is_valid():
        try:
            services.checklist_step_mark(
                actor=request.user, employment=employment, procedure=procedure, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The step was updated."))
            return redirect("guidance:checklist", code=employment.code)
    return _checklist_page(request, employment, failed=(procedure.pk, form), status=400)


@require_POST
@checklist_reader_required
def step_reopen(request: HttpRequest, code, procedure_code) -> HttpResponse:
    employment = selectors.employment_for_checklist(user=request.user, code=code)
    procedure = get_object_or_404(Procedure, code=procedure_code)
    try:
        services.checklist_step_reopen(
            actor=request.user, employment=employment, procedure=procedure
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The step is open again."))
    return redirect("guidance:checklist", code=employment.code)


@require_POST
@checklist_reader_required
def situation(request: HttpRequest, code) -> HttpResponse:
    employment = selectors.employment_for_checklist(user=request.user, code=code)
    form = SituationForm(request.POST)
    if not form.is_valid():  # a checkbox form is always valid; kept for the pattern
        return _checklist_page(request, employment, situation_form=form, status=400)
    services.checklist_situation_set(
        actor=request.user,
        employment=employment,
        already_in_china=form.cleaned_data["already_in_china"],
    )
    messages.success(request, _("The checklist was updated."))
    return redirect("guidance:checklist", code=employment.code)


@checklist_reader_required
def timeline(request: HttpRequest, code) -> HttpResponse:
    employment = selectors.employment_for_checklist(user=request.user, code=code)
    checklist = selectors.hire_checklist_get(employment=employment)
    items = selectors.hire_timeline(checklist=checklist, today=timezone.localdate())
    return render(
        request,
        "guidance/timeline.html",
        {"employment": employment, "checklist": checklist, "items": items},
    )


@center_staff_required
def center_overdue(request: HttpRequest) -> HttpResponse:
    summary = selectors.overdue_summary_all()

    def overdue_page():
        # Built only when the cached rows miss (center_overdue.html).
        steps = selectors.overdue_steps_all()
        return page_of(request, steps, per_page=OVERDUE_PAGE_SIZE, count=summary.count)

    context = {
        "page": SimpleLazyObject(overdue_page),
        "cache_key": f"{summary.key}:{request.GET.get('page', '')}",
        "cache_seconds": OVERDUE_CACHE_SECONDS,
    }
    return render(request, "guidance/center_overdue.html", context)
