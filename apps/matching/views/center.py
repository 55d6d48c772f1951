"""Center staff pages: start a run, watch it, review and push its pairs, and ask why."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from apps.accounts.permissions import center_staff_required
from apps.core.forms import add_service_errors, add_service_messages
from apps.core.models import District, Subject
from apps.core.pagination import page_of, query_without_page
from apps.teachers.models import Teacher
from apps.vacancies.models import Vacancy

from .. import explanations, selectors, services
from ..forms import check_run_start
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


class RunStartForm(forms.Form):
    district = forms.ModelChoiceField(
        label=gettext_lazy("District"),
        queryset=District.objects.all(),
        required=False,
        empty_label=gettext_lazy("Whole city"),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        choices=[(RunKind.FULL, RunKind.FULL.label), (RunKind.STABLE, RunKind.STABLE.label)],
        initial=RunKind.FULL,
        widget=forms.RadioSelect,
    )
    season_start = forms.DateField(
        label=gettext_lazy("Season from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Stable round only: applications made from this day…"),
    )
    season_end = forms.DateField(
        label=gettext_lazy("Season to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("…up to and including this day."),
    )

    def clean(self) -> dict:
        return check_run_start(self, super().clean())


class RunFilterForm(forms.Form):
    district = forms.ModelChoiceField(
        label=gettext_lazy("District"),
        queryset=District.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=gettext_lazy("All districts"),
    )
    subject = forms.ModelChoiceField(
        label=gettext_lazy("Subject"),
        queryset=Subject.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=gettext_lazy("All subjects"),
    )
    min_score = forms.DecimalField(
        label=gettext_lazy("Lowest score"), required=False, min_value=0, max_value=100
    )
    show = forms.ChoiceField(
        label=gettext_lazy("Show"),
        choices=[
            ("assigned", gettext_lazy("Recommended assignment")),
            ("all", gettext_lazy("All shortlisted pairs")),
        ],
        required=False,
    )

    def __init__(self, *args, default_show: str = "assigned", **kwargs) -> None:
        super().__init__(*args, initial={"show": default_show}, **kwargs)
        self.default_show = default_show
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs["class"] = css


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
        pushed = services.recommendations_push(actor=request.user, run=run, suggestion_ids=ids)
    except ValidationError as error:
        add_service_messages(request, error)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s suggestion pushed to the schools.",
                "%(count)s suggestions pushed to the schools.",
                pushed,
            )
            % {"count": pushed},
        )
    return redirect(f"{url}?{back}" if back else url)


@center_staff_required
def why_not_teacher(request: HttpRequest, code, teacher_id: int) -> HttpResponse:
    run = selectors.match_run_get(user=request.user, code=code)
    teacher = get_object_or_404(Teacher, pk=teacher_id)
    why = explanations.why_not_teacher(run=run, teacher=teacher)
    context = {"run": run, "teacher": teacher, "why": why}
    return render(request, "matching/why_not_teacher.html", context)


@center_staff_required
def why_not_vacancy(request: HttpRequest, code, vacancy_code) -> HttpResponse:
    run = selectors.match_run_get(user=request.user, code=code)
    vacancy = get_object_or_404(Vacancy.objects.select_related("school"), code=vacancy_code)
    why = explanations.why_not_vacancy(run=run, vacancy=vacancy)
    context = {"run": run, "vacancy": vacancy, "why": why}
    return render(request, "matching/why_not_vacancy.html", context)


class PairForm(forms.Form):
    teacher = forms.IntegerField(label=gettext_lazy("Teacher number"), min_value=1)
    vacancy = forms.UUIDField(label=gettext_lazy("Vacancy code"))


@center_staff_required
def pair_explain(request: HttpRequest) -> HttpResponse:
    form = PairForm(request.GET or None)
    report = None
    if form.is_valid():
        teacher = Teacher.objects.filter(pk=form.cleaned_data["teacher"]).first()
        vacancy = (
            Vacancy.objects.select_related("school")
            .filter(code=form.cleaned_data["vacancy"])
            .first()
        )
        if teacher is None or vacancy is None:
            raise Http404
        report = explanations.pair_report(teacher=teacher, vacancy=vacancy)
    return render(request, "matching/explain_pair.html", {"form": form, "report": report})
