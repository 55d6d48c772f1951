from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("request/", views.request_report, name="request"),
    path("<uuid:code>/", views.build_detail, name="build"),
    path("<uuid:code>/download/<str:kind>/", views.download, name="download"),
]
