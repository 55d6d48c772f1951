from django.urls import path

from .views import bureau, center, home, school, teacher

app_name = "dashboards"

urlpatterns = [
    path("", home.home, name="home"),
    path("teacher/", teacher.dashboard, name="teacher"),
    path("school/", school.dashboard, name="school"),
    path("center/", center.dashboard, name="center"),
    path("bureau/", bureau.dashboard, name="bureau"),
    path("statistics/", bureau.statistics, name="statistics"),
]
