from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from apps.accounts.views import switch_language
from apps.core.views import healthz, home

admin.site.site_header = _("Hangzhou Foreign Teacher Service Center")
admin.site.site_title = _("Service Center admin")
admin.site.index_title = _("Center workplace")

urlpatterns = [
    # Outside the language prefix: probed by load balancers and compose healthchecks.
    path("healthz", healthz, name="healthz"),
    path("i18n/switch/", switch_language, name="switch_language"),
]

urlpatterns += i18n_patterns(
    path("", home, name="home"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("account/", include("apps.accounts.urls")),
    path("dashboard/", include("apps.dashboards.urls")),
    path("notifications/", include("apps.notifications.urls")),
    path("schools/", include("apps.schools.urls")),
    path("teacher/", include("apps.teachers.urls")),
    path("vacancies/", include("apps.vacancies.urls")),
    path("applications/", include("apps.applications.urls")),
    path("employment/", include("apps.employment.urls")),
    path("matching/", include("apps.matching.urls")),
    prefix_default_language=True,
)

handler403 = "apps.core.views.permission_denied"
handler404 = "apps.core.views.page_not_found"
handler500 = "apps.core.views.server_error"
