from django.urls import path

from . import views

app_name = "guidance"

urlpatterns = [
    path("", views.procedure_index, name="index"),
    path("procedures/<slug:slug>/", views.procedure_detail, name="procedure"),
    path("hire/<uuid:code>/", views.checklist, name="checklist"),
    path("hire/<uuid:code>/timeline/", views.timeline, name="timeline"),
    path("hire/<uuid:code>/situation/", views.situation, name="situation"),
    path("hire/<uuid:code>/steps/<uuid:procedure_code>/", views.step_mark, name="step_mark"),
    path(
        "hire/<uuid:code>/steps/<uuid:procedure_code>/reopen/",
        views.step_reopen,
        name="step_reopen",
    ),
    path("center/overdue/", views.center_overdue, name="center_overdue"),
]
