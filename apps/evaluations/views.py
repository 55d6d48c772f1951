from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from apps.accounts.permissions import (
    bureau_viewer_required,
    center_staff_required,
    school_staff_required,
    teacher_required,
)
from apps.core.forms import add_service_errors
from apps.core.models import District
from apps.core.pagination import page_of, query_without_page
from apps.credit.caching import recognition_version
from apps.dashboards.caching import FIGURES_SECONDS, school_cache_key
from apps.schools.caching import BUREAU_CACHE_SECONDS, bureau_list_cache_key
from apps.schools.models import School
from apps.schools.selectors import bureau_membership_for_user, school_for_user
from apps.teachers.selectors import teacher_for_user

from . import services
from .caching import ASSESSMENT_LIST_CACHE_SECONDS, SURVEY_CACHE_SECONDS, assessment_list_version
from .forms import (
    AssessmentForm,
    EvaluationForm,
    LateFilterForm,
    ReopenForm,
    ResponseForm,
    SurveyForm,
)
from .models import Dimension, EvaluationRound, SurveyDirection, SurveyQuestion
from .selectors import assessments as assessment_selectors
from .selectors import evaluations as selectors
from .selectors import surveys as survey_selectors
from .selectors.indicators import school_indicators
from .services.evaluations import EDITABLE_FIELDS


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


def _dimensions(evaluation, levels):
    """Each dimension with its score, the chosen rubric text and the comment (read-only pages)."""
    rows = []
    for dimension in Dimension:
        score = getattr(evaluation, f"{dimension.value}_score")
        level = next((lv for lv in levels.get(dimension, []) if lv.score == score), None)
        comment = getattr(evaluation, f"{dimension.value}_comment")
        rows.append({"label": dimension.label, "score": score, "level": level, "comment": comment})
    return rows


# --- School ----------------------------------------------------------------------------------


@school_staff_required
def school_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    state = request.GET.get("state", "")
    state = state if state in selectors.STATES else ""
    school = school_for_user(request.user)
    counts = SimpleLazyObject(
        lambda: selectors.evaluation_counts_for_school(school=school, today=today) if school else {}
    )

    def list_page():
        # Built only when the cached tabs and rows miss (school_list.html).
        evaluations = selectors.evaluation_list_for_school(
            user=request.user, today=today, state=state
        )
        # Every evaluation is open, late or done: the tab counts are the list's length too.
        count = counts.get(state) if state else sum(counts.values()) if school else None
        return page_of(request, evaluations, count=count)

    # The pager's links keep the tab; other parameters are dropped, so they cannot multiply
    # the cached copies.
    query = urlencode({"state": state}) if state else ""
    page_number = request.GET.get("page", "")
    cache_key = None
    if school is not None:
        # The rows show the school's evaluations, their rounds and teachers' names, and turn
        # late with the date.
        stamp = f"{school_cache_key(school)}:{recognition_version()}:{today}"
        cache_key = f"{stamp}:{state}:{page_number if page_number.isdigit() else ''}"
    context = {
        "state": state,
        "counts": counts,
        "page": SimpleLazyObject(list_page),
        "query": query,
        "today": today,
        "cache_key": cache_key,
        "cache_seconds": FIGURES_SECONDS,
    }
    return render(request, "evaluations/school_list.html", context)


@school_staff_required
def school_detail(request: HttpRequest, code) -> HttpResponse:
    evaluation = selectors.evaluation_get_for_school(user=request.user, code=code)
    levels = selectors.rubric_levels(rubric=evaluation.rubric)
    initial = {name: getattr(evaluation, name) for name in EDITABLE_FIELDS}
    form = None
    if not evaluation.is_submitted or request.method == "POST":
        form = EvaluationForm(request.POST or None, initial=initial, levels=levels)
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            services.evaluation_save(
                actor=request.user,
                evaluation=evaluation,
                values={name: form.cleaned_data[name] for name in EDITABLE_FIELDS},
                submit=submit,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if submit:
                messages.success(request, _("The evaluation was submitted."))
            else:
                messages.success(request, _("Draft saved."))
            return redirect(evaluation.get_absolute_url())
    context = {
        "evaluation": evaluation,
        "form": form,
        "dimensions": _dimensions(evaluation, levels),
        "late": evaluation.is_late_on(timezone.localdate()),
    }
    return render(
        request, "evaluations/school_detail.html", context, status=_status(form) if form else 200
    )


def _survey(request, evaluation, direction: str, template: str, back: str) -> HttpResponse:
    questions = list(SurveyQuestion.objects.filter(direction=direction, is_active=True))
    answered = evaluation.survey_responses.filter(direction=direction).exists()
    form = SurveyForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_submit(
                actor=request.user,
                evaluation=evaluation,
                direction=direction,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you: your answers were recorded."))
            return redirect(back)
    context = {
        "evaluation": evaluation,
        "form": form,
        "answered": answered,
        "closed": timezone.localdate() > evaluation.round.deadline,
    }
    return render(request, template, context, status=_status(form))


@school_staff_required
def school_survey(request: HttpRequest, code) -> HttpResponse:
    evaluation = selectors.evaluation_get_for_school(user=request.user, code=code)
    return _survey(
        request,
        evaluation,
        SurveyDirection.SCHOOL_ABOUT_TEACHER,
        "evaluations/school_survey.html",
        "evaluations:school_list",
    )


@school_staff_required
def school_results(request: HttpRequest) -> HttpResponse:
    school = school_for_user(request.user)
    if school is None:
        raise Http404
    context = {
        "assessments": assessment_selectors.assessment_list_for_school(user=request.user),
        "table": survey_selectors.survey_results_for_school(school=school, cached=True),
    }
    return render(request, "evaluations/school_results.html", context)


# --- Teacher ---------------------------------------------------------------------------------


@teacher_required
def teacher_list(request: HttpRequest) -> HttpResponse:
    teacher = teacher_for_user(user=request.user)
    evaluations, surveys = (
        selectors.teacher_evaluation_lists(teacher=teacher, today=timezone.localdate())
        if teacher
        else ([], [])
    )
    context = {
        "evaluations": evaluations,
        "surveys": surveys,
        "table": survey_selectors.survey_results_for_teacher(teacher=teacher, cached=True)
        if teacher
        else None,
    }
    return render(request, "evaluations/teacher_list.html", context)


@teacher_required
def teacher_detail(request: HttpRequest, code) -> HttpResponse:
    evaluation = selectors.evaluation_get_for_teacher(user=request.user, code=code)
    levels = selectors.rubric_levels(rubric=evaluation.rubric)
    form = None if evaluation.teacher_response else ResponseForm(request.POST or None)
    if request.method == "POST":
        if form is None:
            form = ResponseForm(request.POST)
            form.is_valid()
            form.add_error(None, _("You have already responded to this evaluation."))
        elif form.is_valid():
            try:
                services.evaluation_respond(
                    actor=request.user, evaluation=evaluation, text=form.cleaned_data["response"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Your response was added."))
                return redirect("evaluations:teacher_detail", code=evaluation.code)
    context = {
        "evaluation": evaluation,
        "dimensions": _dimensions(evaluation, levels),
        "form": form,
    }
    return render(
        request, "evaluations/teacher_detail.html", context, status=_status(form) if form else 200
    )


@teacher_required
def teacher_survey(request: HttpRequest, code) -> HttpResponse:
    evaluation = selectors.evaluation_get_for_teacher_survey(user=request.user, code=code)
    return _survey(
        request,
        evaluation,
        SurveyDirection.TEACHER_ABOUT_SCHOOL,
        "evaluations/teacher_survey.html",
        "evaluations:teacher_list",
    )


# --- Center ----------------------------------------------------------------------------------


@center_staff_required
def center_late(request: HttpRequest) -> HttpResponse:
    form = LateFilterForm(request.GET or None)
    today = timezone.localdate()

    def late_page():
        # Built only when the page's cached part misses (center_late.html).
        evaluations = selectors.evaluations_late(today=today, **form.filters())
        return page_of(request, evaluations)

    # Versioned with the bureau's parts that hold these rows: evaluations, rounds and schools,
    # and the teachers' names ("employments"). A center user has no jurisdiction, so the key's
    # scope reads "none"; the fragment's name keeps it apart from the bureau's lists.
    key = bureau_list_cache_key(request=request, parts=("evaluations", "employments"))
    context = {
        "form": form,
        "page": SimpleLazyObject(late_page),
        "query": query_without_page(request),
        "detail_url": "evaluations:center_detail",
        # "Late" depends on the day.
        "cache_key": f"{today.isoformat()}:{key}",
        "cache_seconds": BUREAU_CACHE_SECONDS,
    }
    return render(request, "evaluations/center_late.html", context)


@center_staff_required
def center_detail(request: HttpRequest, code) -> HttpResponse:
    evaluation = selectors.evaluation_get_for_center(code=code)
    levels = selectors.rubric_levels(rubric=evaluation.rubric)
    form = ReopenForm(request.POST or None) if evaluation.is_submitted else None
    if request.method == "POST":
        if form is None:
            form = ReopenForm(request.POST)
            form.is_valid()
            form.add_error(None, _("Only a submitted evaluation can be reopened."))
        elif form.is_valid():
            try:
                services.evaluation_reopen(
                    actor=request.user, evaluation=evaluation, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The evaluation was reopened; the school was told."))
                return redirect("evaluations:center_detail", code=evaluation.code)
    context = {
        "evaluation": evaluation,
        "dimensions": _dimensions(evaluation, levels),
        "form": form,
        "late": evaluation.is_late_on(timezone.localdate()),
    }
    return render(
        request, "evaluations/center_detail.html", context, status=_status(form) if form else 200
    )


def _round_from(request: HttpRequest) -> EvaluationRound | None:
    quarter = request.GET.get("round", "")
    rounds = selectors.round_list()
    if quarter:
        return get_object_or_404(rounds, quarter=quarter)
    return rounds.first()


@center_staff_required
def center_assessments(request: HttpRequest) -> HttpResponse:
    round_ = _round_from(request)
    form = LateFilterForm(request.GET or None)
    today = timezone.localdate()

    def listing():
        # Built only when the page's cached part misses (center_assessments.html).
        if round_ is None:
            return None, []
        filters = form.filters()
        schools = assessment_selectors.assessment_schools_for_round(
            round=round_,
            school_name=filters.get("school_name", ""),
            district=filters.get("district"),
        )
        page = page_of(request, schools)
        indicators = school_indicators(round=round_, schools=page.object_list, today=today)
        return page, [(school, indicators[school.pk]) for school in page.object_list]

    rows_page = SimpleLazyObject(listing)
    context = {
        "round": round_,
        "form": form,
        "page": SimpleLazyObject(lambda: rows_page[0]),
        "rows": SimpleLazyObject(lambda: rows_page[1]),
        "query": query_without_page(request),
        # The same for every center user; "today" decides whether an evaluation is late yet.
        "cache_key": ":".join(
            [
                str(assessment_list_version()),
                get_language(),
                today.isoformat(),
                str(round_.pk if round_ else ""),
                request.GET.urlencode(),
            ]
        ),
        "cache_seconds": ASSESSMENT_LIST_CACHE_SECONDS,
    }
    return render(request, "evaluations/center_assessments.html", context)


@center_staff_required
def center_assess(request: HttpRequest, quarter: str, school_code) -> HttpResponse:
    round_ = get_object_or_404(EvaluationRound, quarter=quarter)
    school = get_object_or_404(School, code=school_code)
    existing = assessment_selectors.assessment_for_round_school(round=round_, school=school)
    initial = {"score": existing.score, "comment": existing.comment} if existing else None
    form = AssessmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.school_assessment_save(
                actor=request.user, round=round_, school=school, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The assessment was saved."))
            return redirect(f"{reverse('evaluations:center_assessments')}?round={round_.quarter}")
    context = {
        "round": round_,
        "school": school,
        "assessment": existing,
        "indicators": school_indicators(round=round_, schools=[school])[school.pk],
        "form": form,
    }
    return render(request, "evaluations/center_assess.html", context, status=_status(form))


# --- Bureau ----------------------------------------------------------------------------------


def _bureau_districts(user):
    membership = bureau_membership_for_user(user)
    if membership is None:
        return District.objects.none()
    if membership.district_id is None:
        return District.objects.all()
    return District.objects.filter(pk=membership.district_id)


@bureau_viewer_required
def bureau_late(request: HttpRequest) -> HttpResponse:
    form = LateFilterForm(request.GET or None, districts=_bureau_districts(request.user))
    today = timezone.localdate()

    def late_page():
        # Built only when the page's cached part misses (bureau_late.html).
        evaluations = selectors.evaluations_late_for_bureau(
            user=request.user, today=today, **form.filters()
        )
        return page_of(request, evaluations)

    key = bureau_list_cache_key(request=request, parts=("evaluations",))
    context = {
        "form": form,
        "page": SimpleLazyObject(late_page),
        "query": query_without_page(request),
        "detail_url": None,
        # "Late" depends on the day.
        "cache_key": f"{today.isoformat()}:{key}",
        "cache_seconds": BUREAU_CACHE_SECONDS,
    }
    return render(request, "evaluations/bureau_late.html", context, status=_status(form))


@bureau_viewer_required
def bureau_surveys(request: HttpRequest) -> HttpResponse:
    form = LateFilterForm(request.GET or None, districts=_bureau_districts(request.user))
    district = form.filters().get("district")
    context = {
        "form": form,
        # Read only when the rendered tables miss (bureau_surveys.html).
        "tables": SimpleLazyObject(
            lambda: survey_selectors.survey_tables_for_bureau(user=request.user, district=district)
        ),
        "cache_key": survey_selectors.survey_tables_key_for_bureau(
            user=request.user, district=district
        ),
        "cache_seconds": SURVEY_CACHE_SECONDS,
    }
    return render(request, "evaluations/bureau_surveys.html", context, status=_status(form))
