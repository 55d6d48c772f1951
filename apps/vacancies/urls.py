from django.urls import path

from . import views

app_name = "vacancies"

urlpatterns = [
    path("", views.search, name="search"),
    path("<uuid:code>/", views.detail, name="detail"),
    path("school/", views.school_list, name="school_list"),
    path("school/new/", views.create, name="create"),
    path("school/<uuid:code>/", views.school_detail, name="school_detail"),
    path("school/<uuid:code>/edit/", views.edit, name="edit"),
    path("school/<uuid:code>/submit/", views.submit, name="submit"),
    path("school/<uuid:code>/withdraw/", views.withdraw, name="withdraw"),
    path("school/<uuid:code>/close/", views.close, name="close"),
    path("school/<uuid:code>/copy/", views.copy, name="copy"),
    path("saved/", views.saved_searches, name="saved_searches"),
    path("saved/<uuid:code>/delete/", views.saved_search_delete, name="saved_search_delete"),
    path("bureau/", views.bureau_list, name="bureau_list"),
    path("bureau/vacancies.csv", views.bureau_csv, name="bureau_csv"),
]
