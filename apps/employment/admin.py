from pathlib import PurePosixPath

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.core.exports import attachment_response, csv_response
from apps.core.services import audit_record

from . import services
from .exports import employment_csv_rows
from .models import (
    Employment,
    EmploymentChange,
    EmploymentSchool,
    ExchangeVisit,
    InternshipAgreement,
)


class EmploymentSchoolInline(admin.TabularInline):
    model = EmploymentSchool
    extra = 0
    can_delete = False
    fields = ["school", "weekly_hours", "is_lead"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class EmploymentChangeInline(admin.TabularInline):
    model = EmploymentChange
    extra = 0
    can_delete = False
    fields = [
        "effective_on",
        "kind",
        "expires_on",
        "new_contract_end",
        "recorded_at",
        "recorded_by",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


def _download_link(url_name: str, obj) -> str:
    if not obj.file:
        return "—"
    return format_html('<a href="{}">{}</a>', reverse(url_name, args=[obj.code]), _("Download"))


def _audited_download(request, obj, action: str):
    # Private media has no public URL: the center reads these files only here, audited.
    if not request.user.is_center_staff or not obj.file:
        raise Http404
    audit_record(actor=request.user, action=action, target=obj)
    return attachment_response(
        obj.file, filename=f"{obj.code}{PurePosixPath(obj.file.name).suffix}"
    )


@admin.register(Employment)
class EmploymentAdmin(admin.ModelAdmin):
    list_display = [
        "teacher",
        "school",
        "district",
        "status",
        "contract_start",
        "contract_end",
        "hiring_channel",
        "is_intern",
        "is_cluster_contract",
    ]
    list_filter = ["status", "school__district", "hiring_channel", "payment_method", "is_intern"]
    search_fields = ["teacher__legal_name", "school__name_en", "school__name_zh_hans"]
    list_select_related = ["teacher", "school", "school__district", "cluster"]
    readonly_fields = [field.name for field in Employment._meta.fields]
    inlines = [EmploymentSchoolInline, EmploymentChangeInline]
    actions = ["export_csv"]
    date_hierarchy = "contract_start"

    def has_add_permission(self, request) -> bool:
        return False  # hires come from accepted offers in the portal

    @admin.display(description=_("district"))
    def district(self, employment: Employment):
        return employment.school.district

    @admin.display(description=_("cluster"), boolean=True)
    def is_cluster_contract(self, employment: Employment) -> bool:
        return employment.is_cluster

    @admin.action(description=_("Export the selected employments as CSV"))
    def export_csv(self, request, queryset):
        return csv_response("employments", employment_csv_rows(queryset, with_permits=True))


@admin.register(EmploymentChange)
class EmploymentChangeAdmin(admin.ModelAdmin):
    list_display = ["employment", "kind", "effective_on", "expires_on", "recorded_at"]
    list_filter = ["kind", "employment__school__district"]
    search_fields = ["employment__teacher__legal_name"]
    list_select_related = ["employment__teacher", "employment__school"]
    exclude = ["permit_number", "file"]
    readonly_fields = [
        *(f.name for f in EmploymentChange._meta.fields if f.name not in {"permit_number", "file"}),
        "file_download",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description=_("file"))
    def file_download(self, change: EmploymentChange):
        return _download_link("admin:employment_employmentchange_file", change)

    def get_urls(self):
        return [
            path(
                "<uuid:code>/file/",
                self.admin_site.admin_view(self.file_view),
                name="employment_employmentchange_file",
            ),
            *super().get_urls(),
        ]

    def file_view(self, request, code):
        change = get_object_or_404(EmploymentChange, code=code)
        return _audited_download(request, change, "employment.change.file")


@admin.register(InternshipAgreement)
class InternshipAgreementAdmin(admin.ModelAdmin):
    list_display = ["teacher", "school", "university", "starts_on", "ends_on", "status"]
    list_filter = ["status", "school__district"]
    search_fields = ["teacher__legal_name", "university", "school__name_en"]
    list_select_related = ["teacher", "school"]
    exclude = ["file"]
    readonly_fields = [
        *(
            f.name
            for f in InternshipAgreement._meta.fields
            if f.name not in {"decision_note", "file"}
        ),
        "file_download",
    ]
    actions = ["approve"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description=_("signed agreement"))
    def file_download(self, agreement: InternshipAgreement):
        return _download_link("admin:employment_internshipagreement_file", agreement)

    def get_urls(self):
        return [
            path(
                "<uuid:code>/file/",
                self.admin_site.admin_view(self.file_view),
                name="employment_internshipagreement_file",
            ),
            *super().get_urls(),
        ]

    def file_view(self, request, code):
        agreement = get_object_or_404(InternshipAgreement, code=code)
        return _audited_download(request, agreement, "internship_agreement.file")

    @admin.action(description=_("Approve the selected agreements"))
    def approve(self, request, queryset):
        done = 0
        for agreement in queryset:
            try:
                services.internship_agreement_decide(
                    actor=request.user, agreement=agreement, approve=True
                )
                done += 1
            except ValidationError as error:
                self.message_user(request, f"{agreement}: {error.messages[0]}", messages.ERROR)
        self.message_user(
            request, _("%(count)s agreements approved.") % {"count": done}, messages.SUCCESS
        )

    def save_model(self, request, obj, form, change):
        # A note typed here rejects the agreement through the service.
        if change and "decision_note" in form.changed_data and obj.status == "submitted":
            try:
                services.internship_agreement_decide(
                    actor=request.user, agreement=obj, approve=False, note=obj.decision_note
                )
            except ValidationError as error:
                self.message_user(request, error.messages[0], messages.ERROR)


@admin.register(ExchangeVisit)
class ExchangeVisitAdmin(admin.ModelAdmin):
    list_display = [
        "visitor_name",
        "nationality",
        "passport_masked",
        "school",
        "partner_school",
        "arrival",
        "departure",
    ]
    list_filter = ["school__district", "nationality"]
    search_fields = ["visitor_name", "school__name_en", "partner_school__name"]
    list_select_related = ["school", "partner_school"]
    exclude = ["passport_number"]
    readonly_fields = [
        "code",
        "school",
        "partner_school",
        "visitor_name",
        "nationality",
        "passport_masked",
        "arrival",
        "departure",
        "purpose",
        "created_by",
        "created_at",
    ]
    actions = ["export_csv"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description=_("passport number"))
    def passport_masked(self, visit: ExchangeVisit) -> str:
        return visit.passport_masked

    @admin.action(description=_("Export the selected visits as CSV"))
    def export_csv(self, request, queryset):
        def rows():
            yield [_("Visitor"), _("Nationality"), _("School"), _("Arrival"), _("Departure")]
            for visit in queryset.select_related("school"):
                yield [
                    visit.visitor_name,
                    visit.nationality.name,
                    visit.school,
                    visit.arrival.isoformat(),
                    visit.departure.isoformat(),
                ]

        return csv_response("exchange-visits", rows())
