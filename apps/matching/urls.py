from django.urls import path

from .views import center, school, teacher

app_name = "matching"

urlpatterns = [
    # Center staff
    path("runs/new/", center.run_start, name="run_start"),
    path("runs/<uuid:code>/", center.run_detail, name="run_detail"),
    path("runs/<uuid:code>/progress/", center.run_progress, name="run_progress"),
    path("runs/<uuid:code>/push/", center.run_push, name="run_push"),
    path(
        "runs/<uuid:code>/teachers/<uuid:teacher_code>/why/",
        center.why_not_teacher,
        name="why_not_teacher",
    ),
    path(
        "runs/<uuid:code>/vacancies/<uuid:vacancy_code>/why/",
        center.why_not_vacancy,
        name="why_not_vacancy",
    ),
    path("explain/", center.pair_explain, name="pair_explain"),
    path(
        "explain/search/<str:kind>/",
        center.pair_search,
        name="pair_search",
    ),
    # Schools
    path("vacancies/<uuid:code>/candidates/", school.candidates, name="school_candidates"),
    path(
        "vacancies/<uuid:code>/candidates/panel/",
        school.candidates_panel,
        name="school_candidates_panel",
    ),
    path("candidates/<uuid:code>/", school.candidate_detail, name="school_candidate"),
    path("candidates/<uuid:code>/invite/", school.invite, name="school_invite"),
    path("candidates/<uuid:code>/dismiss/", school.dismiss, name="school_dismiss"),
    # Teachers
    path("suggestions/", teacher.suggestions, name="teacher_suggestions"),
    path("suggestions/<uuid:code>/", teacher.suggestion_detail, name="teacher_suggestion"),
    path("suggestions/<uuid:code>/apply/", teacher.apply, name="teacher_apply"),
    path("suggestions/<uuid:code>/decline/", teacher.decline, name="teacher_decline"),
]
