from django.urls import path

from . import views

app_name = "teachers"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/<slug:slug>/", views.profile_step, name="profile_step"),
    path("documents/", views.documents, name="documents"),
    path("documents/<uuid:code>/download/", views.document_download, name="document_download"),
    path("documents/<uuid:code>/preview/", views.document_preview, name="document_preview"),
    path("submit/", views.submit, name="submit"),
    path("privacy/", views.privacy, name="privacy"),
    path("privacy/export/", views.export_data, name="export_data"),
    path("privacy/delete/", views.request_deletion, name="request_deletion"),
]
