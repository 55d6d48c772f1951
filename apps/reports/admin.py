from django.contrib import admin

from apps.core.admin import ReadOnlyAdminMixin

from .models import ReportBuild


@admin.register(ReportBuild)
class ReportBuildAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["year", "district", "status", "progress", "progress_total", "created_at"]
    list_filter = ["status", "year", "district"]
    list_select_related = ["district", "requested_by"]
    # The files are served only by the permission-checked, audited download view.
    exclude = ["xlsx_file", "pdf_file"]
    readonly_fields = [
        f.name for f in ReportBuild._meta.fields if f.name not in {"xlsx_file", "pdf_file"}
    ]
