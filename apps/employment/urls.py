from django.urls import path

from . import views

app_name = "employment"

urlpatterns = [
    path("hire/<uuid:code>/", views.hire, name="hire"),
    path("agreement/<uuid:code>/", views.agreement_new, name="agreement_new"),
    path("school/", views.school_list, name="school_list"),
    path("school/employments.csv", views.school_csv, name="school_csv"),
    path("school/<uuid:code>/", views.school_detail, name="school_detail"),
    path("mine/", views.teacher_list, name="teacher_list"),
    path("bureau/", views.bureau_list, name="bureau_list"),
    path("bureau/employments.csv", views.bureau_csv, name="bureau_csv"),
    path("bureau/visits/", views.bureau_visits, name="bureau_visits"),
    path("visits/", views.visits, name="visits"),
]
