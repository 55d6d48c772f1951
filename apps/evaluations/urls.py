from django.urls import path

from . import views

app_name = "evaluations"

urlpatterns = [
    path("school/", views.school_list, name="school_list"),
    path("school/results/", views.school_results, name="school_results"),
    path("school/<uuid:code>/", views.school_detail, name="school_detail"),
    path("school/<uuid:code>/survey/", views.school_survey, name="school_survey"),
    path("mine/", views.teacher_list, name="teacher_list"),
    path("mine/<uuid:code>/", views.teacher_detail, name="teacher_detail"),
    path("mine/<uuid:code>/survey/", views.teacher_survey, name="teacher_survey"),
    path("center/late/", views.center_late, name="center_late"),
    path("center/assessments/", views.center_assessments, name="center_assessments"),
    path(
        "center/assessments/<str:quarter>/<uuid:school_code>/",
        views.center_assess,
        name="center_assess",
    ),
    path("center/<uuid:code>/", views.center_detail, name="center_detail"),
    path("bureau/late/", views.bureau_late, name="bureau_late"),
    path("bureau/satisfaction/", views.bureau_surveys, name="bureau_surveys"),
]
