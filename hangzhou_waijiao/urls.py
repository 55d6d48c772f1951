from allauth.account.views import logout as account_logout
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from apps.accounts.views import admin_login, switch_language
from apps.core.views import favicon, healthz, home

admin.site.site_header = _("Hangzhou Foreign Teacher Service Center")
admin.site.site_title = _("Service Center admin")
admin.site.index_title = _("Center workplace")

urlpatterns = [
    # Outside the language prefix: probed by load balancers and compose healthchecks.
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("i18n/switch/", switch_language, name="switch_language"),
    # Partner departments' read-only API: versioned, token-authenticated, no language prefix.
    path("api/v1/", include("apps.exchange.api.urls")),
]

urlpatterns += i18n_patterns(
    path("", home, name="home"),
    # The admin signs in and out through allauth (MFA stage, rate limits); these two paths
    # shadow the admin's own views, so `admin:login` and `admin:logout` lead here too.
    path("admin/login/", admin_login, name="admin_login"),
    path("admin/logout/", account_logout, name="admin_logout"),
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
    path("evaluations/", include("apps.evaluations.urls")),
    path("credit/", include("apps.credit.urls")),
    path("matching/", include("apps.matching.urls")),
    path("reports/", include("apps.reports.urls")),
    path("guidance/", include("apps.guidance.urls")),
    path("exchange/", include("apps.exchange.urls")),
    prefix_default_language=True,
)

handler403 = "apps.core.views.permission_denied"
handler404 = "apps.core.views.page_not_found"
handler500 = "apps.core.views.server_error"
