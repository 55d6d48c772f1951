from django.urls import path

from . import views

app_name = "exchange"

urlpatterns = [
    path("quality/", views.quality, name="quality"),
    path("exports/", views.exports, name="exports"),
    path("exports/<uuid:code>/<str:part>/", views.export_download, name="export_download"),
]
