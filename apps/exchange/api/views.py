"""The read-only /api/v1/ endpoints: thin views over the exchange selectors and serializers."""

import uuid

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.exports import FileMissing, stored_file_open
from apps.core.models import District
from apps.reports import statistics as stats

from ..models import ExportFormat, ExportStatus
from ..scopes import DATASET_SCOPES, Dataset, Scope
from ..selectors import dataset_queryset, export_job_for_client, request_address
from ..services import api_request_log, export_job_downloaded, export_job_request
from .pagination import SYNC_PARAMETERS, SyncCursorPagination, parse_since
from .permissions import client_of
from .serializers import (
    CreditRecordSerializer,
    EmploymentSerializer,
    SchoolSerializer,
    StatisticsSerializer,
    VisitSerializer,
)

BAD_YEAR = _("year must be a year from 2000 to 2100.")
BAD_DISTRICT = _("Unknown district code.")


class AuditedMixin:
    """Write an ApiRequestLog row for every request of a known client, refused ones too."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        http_request = getattr(request, "_request", request)
        client = getattr(http_request, "exchange_client", None)
        if client is not None:
            api_request_log(
                client=client,
                endpoint=http_request.path,
                query=http_request.META.get("QUERY_STRING", ""),
                method=http_request.method,
                status_code=response.status_code,
                rows=getattr(response, "exchange_rows", 0) if response.status_code < 300 else 0,
                ip_address=request_address(http_request),
            )
        return response


class DatasetViewSet(AuditedMixin, viewsets.ReadOnlyModelViewSet):
    """List (sync pages) and one row by code of a dataset."""

    dataset: str = ""
    lookup_field = "code"
    pagination_class = SyncCursorPagination

    @property
    def required_scope(self) -> str:
        return DATASET_SCOPES[self.dataset]

    def get_queryset(self):
        return dataset_queryset(self.dataset)

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        client = client_of(self.request)
        context["scopes"] = client.scopes if client else []
        return context

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        response = self.get_paginated_response(self.get_serializer(page, many=True).data)
        response.exchange_rows = len(page)
        return response

    def retrieve(self, request, *args, **kwargs):
        try:
            code = uuid.UUID(str(kwargs["code"]))
        except ValueError as error:
            raise NotFound from error
        row = self.get_queryset().filter(code=code).first()
        if row is None:
            raise NotFound
        response = Response(self.get_serializer(row).data)
        response.exchange_rows = 1
        return response


@extend_schema(tags=["employments"])
class EmploymentViewSet(DatasetViewSet):
    """Employment register rows with their dated changes (scope `employments`)."""

    dataset = Dataset.EMPLOYMENTS
    serializer_class = EmploymentSerializer

    @extend_schema(parameters=SYNC_PARAMETERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


@extend_schema(tags=["schools"])
class SchoolViewSet(DatasetViewSet):
    """Schools and kindergartens (scope `schools`)."""

    dataset = Dataset.SCHOOLS
    serializer_class = SchoolSerializer

    @extend_schema(parameters=SYNC_PARAMETERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


@extend_schema(tags=["visits"])
class VisitViewSet(DatasetViewSet):
    """Short-term exchange visits (scope `visits`)."""

    dataset = Dataset.VISITS
    serializer_class = VisitSerializer

    @extend_schema(parameters=SYNC_PARAMETERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


@extend_schema(tags=["credit"])
class CreditRecordViewSet(DatasetViewSet):
    """Credit records that took effect: commendations and restrictions (scope `credit`)."""

    dataset = Dataset.CREDIT
    serializer_class = CreditRecordSerializer

    @extend_schema(parameters=SYNC_PARAMETERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class StatisticsView(AuditedMixin, APIView):
    """Headline figures and breakdowns for the city or one district (scope `statistics`)."""

    required_scope = Scope.STATISTICS

    @extend_schema(
        tags=["statistics"],
        parameters=[
            OpenApiParameter("year", OpenApiTypes.INT, description="Calendar year (this year)."),
            OpenApiParameter(
                "district", OpenApiTypes.STR, description="District code; empty for the city."
            ),
        ],
        responses=StatisticsSerializer,
    )
    def get(self, request):
        today = timezone.localdate()
        raw_year = request.query_params.get("year") or str(today.year)
        if not raw_year.isdigit() or not 2000 <= int(raw_year) <= 2100:
            raise ValidationError({"year": [str(BAD_YEAR)]})
        year = int(raw_year)
        code = request.query_params.get("district", "")
        district = None
        if code:
            district = District.objects.filter(code=code).first()
            if district is None:
                raise ValidationError({"district": [str(BAD_DISTRICT)]})
        jurisdiction = stats.Jurisdiction(district=district)
        on = stats.reference_date(year, today)
        headline = stats.headline_figures(jurisdiction, year, today)
        coverage = stats.coverage(jurisdiction, on)
        data = {
            "jurisdiction": jurisdiction.key,
            "year": year,
            "on": on,
            "headline": [
                {"key": key, "current": figure.current, "previous": figure.previous}
                for key, figure in headline.items()
            ],
            "teachers_by_district": stats.teachers_by_district(jurisdiction, on),
            "teachers_by_school_type": stats.teachers_by_school_type(jurisdiction, on),
            "teachers_by_nationality": stats.teachers_by_nationality(
                jurisdiction, on
            ).top_countries,
            "coverage_by_district": coverage.by_district,
        }
        response = Response(StatisticsSerializer(data).data)
        response.exchange_rows = 1
        return response


ExportRequestSerializer = inline_serializer(
    "ExportRequest",
    {
        "dataset": serializers.ChoiceField(choices=Dataset.choices),
        "format": serializers.ChoiceField(choices=ExportFormat.choices),
        "updated_since": serializers.DateTimeField(required=False, allow_null=True),
    },
)
ExportJobSerializer = inline_serializer(
    "ExportJob",
    {
        "code": serializers.UUIDField(),
        "dataset": serializers.CharField(),
        "format": serializers.CharField(),
        "status": serializers.CharField(help_text="queued, running, done or failed."),
        "rows": serializers.IntegerField(),
        "created_at": serializers.DateTimeField(),
        "finished_at": serializers.DateTimeField(allow_null=True),
        "file": serializers.URLField(allow_null=True),
        "schema": serializers.URLField(allow_null=True),
    },
)


def _job_data(request, job) -> dict:
    done = job.status == ExportStatus.DONE
    base = request.build_absolute_uri(f"/api/v1/exports/{job.code}/")
    return {
        "code": str(job.code),
        "dataset": job.dataset,
        "format": job.format,
        "status": job.status,
        "rows": job.rows,
        "created_at": job.created_at.isoformat(),
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
        "file": f"{base}file/" if done else None,
        "schema": f"{base}schema/" if done else None,
    }


class ExportCreateView(AuditedMixin, APIView):
    """Queue a bulk export of a dataset the client's scopes open; poll it by its code."""

    @extend_schema(
        tags=["exports"],
        request=ExportRequestSerializer,
        responses={202: ExportJobSerializer},
    )
    def post(self, request):
        data = request.data if isinstance(request.data, dict) else {}
        dataset, format_ = data.get("dataset"), data.get("format")
        if dataset not in Dataset.values or format_ not in ExportFormat.values:
            raise ValidationError(
                {"dataset": [str(_("Choose a dataset and a format (csv or jsonl)."))]}
            )
        client = client_of(request)
        if DATASET_SCOPES[dataset] not in client.scopes:
            self.permission_denied(request)
        since = data.get("updated_since")
        since = parse_since(since) if isinstance(since, str) else None
        job = export_job_request(
            dataset=dataset, format=format_, client=client, updated_since=since
        )
        job.refresh_from_db()
        return Response(_job_data(request, job), status=status.HTTP_202_ACCEPTED)


class ExportDetailView(AuditedMixin, APIView):
    """An export job of the client's own: its status and, when done, its download links."""

    @extend_schema(tags=["exports"], responses=ExportJobSerializer)
    def get(self, request, code):
        job = export_job_for_client(client=client_of(request), code=code)
        if job is None:
            raise NotFound
        return Response(_job_data(request, job))


class ExportFileView(AuditedMixin, APIView):
    """Download a finished export's data file or its schema (the requesting client only)."""

    part = "file"

    @extend_schema(tags=["exports"], responses={(200, "application/octet-stream"): bytes})
    def get(self, request, code):
        job = export_job_for_client(client=client_of(request), code=code)
        if job is None or job.status != ExportStatus.DONE:
            raise NotFound
        field_file = job.file if self.part == "file" else job.schema_file
        try:
            handle = stored_file_open(field_file)
        except FileMissing as error:
            raise NotFound(str(error)) from error
        export_job_downloaded(job=job, part=self.part)
        name = field_file.name.rsplit("/", 1)[-1]
        response = FileResponse(handle, as_attachment=True, filename=name)
        response["X-Content-Type-Options"] = "nosniff"
        response.exchange_rows = job.rows if self.part == "file" else 0
        return response
