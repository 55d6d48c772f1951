from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
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
    path("docs/", SpectacularSwaggerView.as_view(url_name="exchange_api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="exchange_api:schema"), name="redoc"),
]
