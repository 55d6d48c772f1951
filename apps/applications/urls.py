from django.urls import path

from . import views

app_name = "applications"

urlpatterns = [
    path("apply/<uuid:code>/", views.apply, name="apply"),
    path("mine/", views.teacher_list, name="teacher_list"),
    path("mine/<uuid:code>/", views.teacher_detail, name="teacher_detail"),
    path("mine/<uuid:code>/vacancy/", views.teacher_vacancy, name="teacher_vacancy"),
    path("mine/<uuid:code>/withdraw/", views.withdraw, name="withdraw"),
    path("mine/<uuid:code>/accept/", views.accept, name="accept"),
    path("mine/<uuid:code>/decline/", views.decline, name="decline"),
    path("mine/<uuid:code>/rank/", views.teacher_rank, name="teacher_rank"),
    path("mine/<uuid:code>/slots/<uuid:slot>/", views.choose_slot, name="choose_slot"),
    path("school/", views.school_vacancies, name="school_vacancies"),
    path("school/vacancy/<uuid:code>/", views.applicants, name="applicants"),
    path("school/vacancy/<uuid:code>/applicants.csv", views.applicants_csv, name="applicants_csv"),
    path("school/<uuid:code>/", views.school_detail, name="school_detail"),
    path("school/<uuid:code>/shortlist/", views.shortlist, name="shortlist"),
    path("school/<uuid:code>/reject/", views.reject, name="reject"),
    path("school/<uuid:code>/interview/", views.interview, name="interview"),
    path("school/<uuid:code>/offer/", views.offer, name="offer"),
    path("school/<uuid:code>/rank/", views.school_rank, name="school_rank"),
]
