"""Center staff pages: start a run, watch it, review and push its pairs, and ask why."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from apps.accounts.permissions import center_staff_required
from apps.core.forms import add_service_errors, add_service_messages
from apps.core.pagination import page_of, query_without_page

from .. import explanations, selectors, services
from ..forms import PairForm, RunFilterForm, RunStartForm
from ..models import RunKind, RunPhase
from ..services.runs import RUN_ROWS_KEPT_DAYS

# The phases a run goes through, in order, for the progress bar.
PHASES = [RunPhase.WAITING, RunPhase.LOAD, RunPhase.SCORE, RunPhase.ASSIGN, RunPhase.STORE]
CHANGES_SHOWN = 50
TIMING_LABELS = {
    "load": gettext_lazy("Loading"),
    "score": gettext_lazy("Scoring"),
    "assign": gettext_lazy("Assignment"),
    "prepare": gettext_lazy("Preparing rows"),
    "store": gettext_lazy("Storing"),
    "total": gettext_lazy("Total"),
}
COUNT_LABELS = {
    "applications": gettext_lazy("Applications in the season"),
    "teachers": gettext_lazy("Eligible teachers"),
    "posts": gettext_lazy("Vacancies"),
    "capacity": gettext_lazy("Open posts"),
    "eligible_pairs": gettext_lazy("Pairs passing every hard rule"),
    "assigned": gettext_lazy("Pairs assigned"),
    "total_score": gettext_lazy("Total score"),
    "suggestions": gettext_lazy("Pairs stored"),
}


@center_staff_required
def run_start(request: HttpRequest) -> HttpResponse:
    form = RunStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.match_run_start(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Matching run queued."))
            return redirect("matching:run_detail", code=run.code)
    status = 400 if form.errors else 200
    return render(request, "matching/run_start.html", {"form": form}, status=status)


def _progress_context(run) -> dict:
    step = PHASES.index(run.phase) if run.phase in PHASES else len(PHASES)
    return {"run": run, "percent": round(100 * step / len(PHASES))}


@center_staff_required
def run_detail(request: HttpRequest, code) -> HttpResponse:
    run = selectors.match_run_get(user=request.user, code=code)
    # Incremental runs shortlist without assigning: their page starts with every pair.
    default_show = "all" if run.kind == RunKind.INCREMENTAL else "assigned"
    form = RunFilterForm(request.GET or None, default_show=default_show)
    filters = form.cleaned_data if form.is_valid() else {}
    pairs = selectors.match_suggestion_list(
        user=request.user,
        run=run,
        district=filters.get("district"),
        subject=filters.get("subject"),
        min_score=filters.get("min_score"),
        assigned_only=(filters.get("show") or default_show) != "all",
    )
    page = page_of(request, pairs)
    shown = selectors.run_pair_rows(user=request.user, run=run, pairs=page)
    changes = None
    if not run.in_progress:
        changes = selectors.run_changes(user=request.user, run=run, limit=CHANGES_SHOWN)
    context = {
        "run": run,
        "form": form,
        "page": page,
        "rows": shown.rows,
        "hidden": shown.hidden,
        "pruned": not page.object_list and selectors.match_run_pruned(run),
        "query": query_without_page(request),
        "comparison": changes.comparison if changes else None,
        "compare_pruned": changes.pruned if changes else "",
        "changes": changes.changed if changes else None,
        "findings": selectors.stable_findings(user=request.user, run=run),
        "timings": [
            (label, run.timings[key]) for key, label in TIMING_LABELS.items() if key in run.timings
        ],
        "counts": [
            (label, run.counts[key]) for key, label in COUNT_LABELS.items() if key in run.counts
        ],
        "keep_days": RUN_ROWS_KEPT_DAYS,
        **_progress_context(run),
    }
    return render(request, "matching/run_detail.html", context)


@center_staff_required
def run_progress(request: HttpRequest, code) -> HttpResponse:
    run = selectors.match_run_get(user=request.user, code=code)
    if not run.in_progress:
        # The run finished: htmx reloads the whole page, which then shows the results.
        response = render(request, "matching/run_progress.html", _progress_context(run))
        response["HX-Refresh"] = "true"
        return response
    return render(request, "matching/run_progress.html", _progress_context(run))


@require_POST
@center_staff_required
def run_push(request: HttpRequest, code) -> HttpResponse:
    run = selectors.match_run_get(user=request.user, code=code)
    url = reverse("matching:run_detail", args=[run.code])
    back = QueryDict(request.POST.get("query", "")).urlencode()
    ids = [int(value) for value in request.POST.getlist("suggestion") if value.isdigit()]
    try:
        outcome = services.recommendations_push(actor=request.user, run=run, suggestion_ids=ids)
    except ValidationError as error:
        add_service_messages(request, error)
    else:
        pushed = outcome.pushed
        report = messages.success if pushed else messages.warning
        report(
            request,
            ngettext(
                "%(count)s suggestion pushed to the schools.",
                "%(count)s suggestions pushed to the schools.",
                pushed,
            )
            % {"count": pushed},
        )
        _skipped_messages(request, outcome.skipped)
    return redirect(f"{url}?{back}" if back else url)


# A push selects a page of pairs at most; past this many skips the rest are counted.
SKIPS_LISTED = 10


def _skipped_messages(request: HttpRequest, skipped) -> None:
    # One message per skipped pair, in the page's language, so no selected pair goes silently.
    for item in skipped[:SKIPS_LISTED]:
        suggestion = item.suggestion
        messages.warning(
            request,
            _("Not pushed: %(teacher)s for %(vacancy)s. %(reason)s")
            % {
                "teacher": explanations.teacher_label(
                    suggestion.teacher, suggestible=not item.teacher_hidden
                ),
                "vacancy": suggestion.vacancy.title,
                "reason": explanations.push_skip_text(item.code),
            },
        )
    if len(skipped) > SKIPS_LISTED:
        rest = len(skipped) - SKIPS_LISTED
        messages.warning(
            request,
            ngettext(
                "%(count)s more selected pair was not pushed.",
                "%(count)s more selected pairs were not pushed.",
                rest,
            )
            % {"count": rest},
        )


@center_staff_required
def why_not_teacher(request: HttpRequest, code, teacher_code) -> HttpResponse:
    run = selectors.match_run_get(user=request.user, code=code)
    teacher = selectors.pair_teacher_get(user=request.user, code=teacher_code)
    why = explanations.why_not_teacher(run=run, teacher=teacher)
    context = {"run": run, "teacher": teacher, "why": why}
    return render(request, "matching/why_not_teacher.html", context)


@center_staff_required
def why_not_vacancy(request: HttpRequest, code, vacancy_code) -> HttpResponse:
    run = selectors.match_run_get(user=request.user, code=code)
    vacancy = selectors.pair_vacancy_get(user=request.user, code=vacancy_code)
    why = explanations.why_not_vacancy(run=run, vacancy=vacancy)
    context = {"run": run, "vacancy": vacancy, "why": why}
    return render(request, "matching/why_not_vacancy.html", context)


def _chosen(form: PairForm, name: str):
    # A side picked already stays picked while the other side is still being searched.
    if not form.is_bound:
        return None
    form.is_valid()
    return form.cleaned_data.get(name)


@center_staff_required
def pair_explain(request: HttpRequest) -> HttpResponse:
    form = PairForm(request.GET or None)
    report = None
    # The search button (the page without JavaScript) lists matches before anything is chosen.
    searching = bool(request.GET.get("search"))
    if not searching and form.is_valid():
        teacher = selectors.pair_teacher_get(user=request.user, code=form.cleaned_data["teacher"])
        vacancy = selectors.pair_vacancy_get(user=request.user, code=form.cleaned_data["vacancy"])
        report = explanations.pair_report(teacher=teacher, vacancy=vacancy)
    context = {
        "form": form,
        "report": report,
        "searching": searching,
        "teachers": selectors.pair_teacher_search(
            user=request.user,
            query=request.GET.get("teacher_q", ""),
            chosen=_chosen(form, "teacher"),
        ),
        "vacancies": selectors.pair_vacancy_search(
            user=request.user,
            query=request.GET.get("vacancy_q", ""),
            chosen=_chosen(form, "vacancy"),
        ),
    }
    return render(request, "matching/explain_pair.html", context)


@center_staff_required
def pair_search(request: HttpRequest, kind: str) -> HttpResponse:
    """The search results under one side of the explain-pair form (htmx)."""
    if kind not in {"teacher", "vacancy"}:
        raise Http404
    query = request.GET.get(f"{kind}_q", "")
    if kind == "teacher":
        rows = selectors.pair_teacher_search(user=request.user, query=query)
    else:
        rows = selectors.pair_vacancy_search(user=request.user, query=query)
    context = {"kind": kind, "rows": rows, "chosen": None, "query": query}
    return render(request, "matching/_pair_search_results.html", context)
