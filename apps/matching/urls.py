from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("runs/<uuid:code>/", views.run_detail, name="run_detail"),
]
