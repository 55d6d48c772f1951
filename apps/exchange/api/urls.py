from django.urls import path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from . import views

app_name = "exchange_api"

router = SimpleRouter()
router.register("employments", views.EmploymentViewSet, basename="employment")
router.register("schools", views.SchoolViewSet, basename="school")
router.register("visits", views.VisitViewSet, basename="visit")
router.register("credit-records", views.CreditRecordViewSet, basename="credit-record")

urlpatterns = [
    *router.urls,
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
    path("exports/", views.ExportCreateView.as_view(), name="export_create"),
    path("exports/<uuid:code>/", views.ExportDetailView.as_view(), name="export_detail"),
    path("exports/<uuid:code>/file/", views.ExportFileView.as_view(), name="export_file"),
    path(
        "exports/<uuid:code>/schema/",
        views.ExportFileView.as_view(part="schema"),
        name="export_schema",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Split: the page loads its set-up script from its own URL (no inline script, for the CSP).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="exchange_api:schema"), name="docs"),
    # ReDoc cannot run under the portal's CSP (its bundle loads a logo from its CDN, adds style
    # elements without the nonce and starts a blob: worker): its old address shows Swagger UI.
    path("redoc/", RedirectView.as_view(pattern_name="exchange_api:docs"), name="redoc"),
]
