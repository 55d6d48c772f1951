"""Shared pieces of the center's review queue: the reason form, filters, the reject runner."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from apps.core.admin import run_action

from .. import selectors
from ..models import RejectionReason, Teacher


class ReasonActionForm(ActionForm):
    reason = forms.ChoiceField(
        label=_("Reason"), choices=[("", "---------"), *RejectionReason.choices], required=False
    )
    note = forms.CharField(label=_("Note"), required=False)


def file_deleted_label(document) -> str:
    """The file column of a document whose file the retention job deleted (a stub)."""
    return _("File deleted on %(date)s (record kept)") % {
        "date": date_format(timezone.localtime(document.file_deleted_at), "SHORT_DATE_FORMAT")
    }


class DuplicateFilter(admin.SimpleListFilter):
    title = _("duplicate flag")
    parameter_name = "duplicate"

    def lookups(self, request, model_admin):
        return [("yes", _("Shares a passport or a file with another account"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pk__in=selectors.teachers_flagged_duplicate().values("pk"))
        return queryset


class DeletionRequestedFilter(admin.SimpleListFilter):
    title = _("account deletion")
    parameter_name = "deletion"

    def lookups(self, request, model_admin):
        return [("requested", _("Requested, login still linked"))]

    def queryset(self, request, queryset):
        if self.value() == "requested":
            return queryset.filter(deletion_requested_at__isnull=False, user__isnull=False)
        return queryset


class NationalityFilter(admin.SimpleListFilter):
    """Only the nationalities teachers actually have, not every country in the world."""

    title = _("nationality")
    parameter_name = "nationality"

    def lookups(self, request, model_admin):
        from django_countries import countries

        codes = Teacher.objects.exclude(nationality="").values_list("nationality", flat=True)
        return sorted(
            ((code, countries.name(code)) for code in set(codes)), key=lambda item: item[1]
        )

    def queryset(self, request, queryset):
        return queryset.filter(nationality=self.value()) if self.value() else queryset


def run_reject_action(modeladmin, request, queryset, service) -> None:
    """Reject with the reason (and note) chosen in the action bar, through the service."""
    reason = request.POST.get("reason", "")
    if not reason:
        modeladmin.message_user(request, _("Choose a reason first."), messages.ERROR)
        return
    run_action(
        modeladmin,
        request,
        queryset,
        service,
        _("%(count)s rejected."),
        reason=reason,
        note=request.POST.get("note", ""),
    )
