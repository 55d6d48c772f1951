from django.urls import path

from . import views

app_name = "schools"

urlpatterns = [
    path("register/", views.register, name="register"),
    path("register/done/", views.registered, name="registered"),
    path(
        "register/confirm/<str:token>/",
        views.registration_confirm,
        name="registration_confirm",
    ),
    path("register/confirmed/", views.registration_confirmed, name="registration_confirmed"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("staff/invite/", views.staff_invite, name="staff_invite"),
    path("staff/<uuid:code>/deactivate/", views.staff_deactivate, name="staff_deactivate"),
    path("staff/<uuid:code>/liaison/", views.staff_make_liaison, name="staff_make_liaison"),
    path("partners/new/", views.partner_edit, name="partner_create"),
    path("partners/<uuid:code>/", views.partner_edit, name="partner_edit"),
    path("partners/<uuid:code>/delete/", views.partner_delete, name="partner_delete"),
    path("bureau/schools/", views.bureau_schools, name="bureau_schools"),
    path("bureau/schools.csv", views.bureau_schools_csv, name="bureau_schools_csv"),
    path("bureau/groups/", views.bureau_groups, name="bureau_groups"),
    path("bureau/groups.csv", views.bureau_groups_csv, name="bureau_groups_csv"),
]
