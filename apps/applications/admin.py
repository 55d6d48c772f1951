from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.admin import AddDisabledMixin, ReadOnlyInline
from apps.core.exports import csv_response

from . import services
from .models import WAITING_ON_SCHOOL_STATUSES, Application, ApplicationEvent, InterviewSlot, Offer


class ApplicationEventInline(ReadOnlyInline):
    model = ApplicationEvent
    fields = ["created_at", "actor", "from_status", "to_status", "note_shown"]
    readonly_fields = fields

    @admin.display(description=_("note"))
    def note_shown(self, event: ApplicationEvent) -> str:
        return event.note_text


class OfferInline(ReadOnlyInline):
    model = Offer
    fields = ["status", "salary", "contract_start", "contract_end", "weekly_hours", "reply_by"]
    readonly_fields = fields


class InterviewSlotInline(ReadOnlyInline):
    model = InterviewSlot
    fields = ["starts_at", "mode", "location", "chosen", "teacher_reminded_at", "reminded_at"]
    readonly_fields = fields


class IdleFilter(admin.SimpleListFilter):
    title = _("idle")
    parameter_name = "idle"

    def lookups(self, request, model_admin):
        return [("1", _("Center was reminded"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(
                status__in=WAITING_ON_SCHOOL_STATUSES, center_nudged_at__isnull=False
            )
        return queryset


@admin.register(Application)
class ApplicationAdmin(AddDisabledMixin, admin.ModelAdmin):
    """Teachers apply in the portal; the pipeline moves only through services."""

    list_display = ["teacher", "vacancy", "school", "status", "created_at", "status_changed_at"]
    list_filter = ["status", IdleFilter, "vacancy__school__district", "rejection_reason"]
    search_fields = ["teacher__legal_name", "vacancy__title_en", "vacancy__school__name_en"]
    list_select_related = ["teacher", "vacancy", "vacancy__school"]
    autocomplete_fields = ["teacher", "vacancy"]
    readonly_fields = [
        "code",
        "teacher",
        "vacancy",
        "status",
        "cover_letter",
        "rejection_reason",
        "rejection_note",
        "created_at",
        "status_changed_at",
        "school_nudged_at",
        "center_nudged_at",
        # Ranks belong to the teacher and the school (set through the audited service).
        "teacher_rank",
        "school_rank",
    ]
    fields = readonly_fields
    inlines = [OfferInline, InterviewSlotInline, ApplicationEventInline]
    actions = ["export_csv"]
    date_hierarchy = "created_at"

    @admin.display(description=_("school"), ordering="vacancy__school__name")
    def school(self, application: Application):
        return application.vacancy.school

    @admin.action(description=_("Export the selected applications as CSV"))
    def export_csv(self, request, queryset):
        def rows():
            yield [_("Teacher"), _("Vacancy"), _("School"), _("Status"), _("Applied")]
            for application in queryset.select_related("teacher", "vacancy__school"):
                yield [
                    application.teacher,
                    application.vacancy,
                    application.vacancy.school,
                    application.get_status_display(),
                    timezone.localdate(application.created_at).isoformat(),
                ]

        return csv_response("applications", rows())


@admin.register(Offer)
class OfferAdmin(AddDisabledMixin, admin.ModelAdmin):
    list_display = ["application", "status", "salary", "contract_start", "reply_by", "created_at"]
    list_filter = ["status", "housing"]
    list_select_related = ["application__teacher", "application__vacancy"]
    search_fields = ["application__teacher__legal_name", "application__vacancy__title_en"]
    readonly_fields = [field.name for field in Offer._meta.fields]
    actions = ["lapse_overdue"]

    @admin.action(description=_("Lapse the selected offers past their reply-by date"))
    def lapse_overdue(self, request, queryset):
        count = services.offers_lapse(
            today=timezone.localdate(),
            offer_ids=queryset.values_list("pk", flat=True),
            actor=request.user,
        )
        self.message_user(
            request, _("%(count)s offers lapsed.") % {"count": count}, messages.SUCCESS
        )
