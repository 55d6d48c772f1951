from django.contrib import admin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from apps.core.admin import (
    AddDisabledMixin,
    ObjectAction,
    ObjectActionsMixin,
    ReadOnlyInline,
    run_action,
)
from apps.teachers.models import Category

from . import services
from .forms import SendBackForm
from .models import SavedSearch, Vacancy, VacancyEvent, VacancySchool, VacancyStatus


class VacancySchoolInline(ReadOnlyInline):
    model = VacancySchool
    fields = ["school", "weekly_hours"]
    readonly_fields = fields


class VacancyEventInline(ReadOnlyInline):
    model = VacancyEvent
    fields = ["created_at", "actor", "from_status", "to_status", "note_shown"]
    readonly_fields = fields

    @admin.display(description=_("note"))
    def note_shown(self, event: VacancyEvent) -> str:
        return event.note_text


def _is_submitted(vacancy: Vacancy) -> bool:
    return vacancy.status == VacancyStatus.SUBMITTED


@admin.register(Vacancy)
class VacancyAdmin(AddDisabledMixin, ObjectActionsMixin, TranslationAdmin):
    target_name = "vacancy"
    object_actions = (
        ObjectAction(
            name="approve",
            label=_("Approve and publish"),
            service=services.vacancy_approve,
            done_message=_("%(count)s vacancies published."),
            shown=_is_submitted,
        ),
    )
    list_display = [
        "title",
        "school",
        "district",
        "status",
        "posts",
        "filled_posts",
        "contract_start",
        "salary_range",
        "is_cluster_vacancy",
        "submitted_at",
    ]
    list_filter = ["status", "school__district", "housing", "hiring_channel", "levels", "subjects"]
    search_fields = ["title_en", "title_zh_hans", "school__name_en", "school__name_zh_hans"]
    list_select_related = ["school", "school__district", "cluster"]
    autocomplete_fields = ["school", "cluster", "created_by"]
    filter_horizontal = ["subjects", "levels"]
    readonly_fields = [
        "code",
        "status",
        "return_reason",
        "filled_posts",
        "created_by",
        "created_at",
        "updated_at",
        "submitted_at",
        "published_at",
        "closed_at",
        "review_links",
    ]
    exclude = ["accepted_categories"]  # a bit mask: shown by accepted_categories_display
    inlines = [VacancySchoolInline, VacancyEventInline]
    actions = ["approve_selected"]
    date_hierarchy = "created_at"

    @admin.display(description=_("district"), ordering="school__district__sort_order")
    def district(self, vacancy: Vacancy):
        return vacancy.school.district

    @admin.display(description=_("salary (CNY/month)"))
    def salary_range(self, vacancy: Vacancy) -> str:
        return f"{vacancy.salary_min}–{vacancy.salary_max}"

    @admin.display(description=_("cluster"), boolean=True)
    def is_cluster_vacancy(self, vacancy: Vacancy) -> bool:
        return vacancy.is_cluster

    @admin.display(description=_("review"))
    def review_links(self, vacancy: Vacancy):
        # Schools post vacancies in the browser; the center reviews them here.
        if not _is_submitted(vacancy):
            return "—"
        url = reverse("admin:vacancies_vacancy_send_back", args=[vacancy.pk])
        return format_html(
            '{} <a class="button" href="{}">{}</a>',
            self.object_action_buttons(vacancy),
            url,
            _("Send back with a reason"),
        )

    def get_readonly_fields(self, request, obj=None):
        # Content belongs to the school and changes only through its audited service (which
        # re-validates cluster limits and re-queues approval); the center approves or sends
        # back with the actions instead of editing.
        if obj is None:
            return self.readonly_fields
        model_fields = [
            "accepted_categories_display" if field.name == "accepted_categories" else field.name
            for field in Vacancy._meta.fields
        ]
        return [*model_fields, "subjects", "levels", "review_links"]

    @admin.display(description=_("accepted teacher categories"))
    def accepted_categories_display(self, vacancy: Vacancy) -> str:
        # The column is a bit mask; the center reads the categories' names.
        return "; ".join(str(Category(value).label) for value in vacancy.accepted_category_values)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change) -> None:
        # Nothing on the change page is editable; never write a vacancy behind the service.
        return None

    def get_urls(self):
        extra = [
            path(
                "<int:pk>/send-back/",
                self.admin_site.admin_view(self.send_back_view),
                name="vacancies_vacancy_send_back",
            )
        ]
        return extra + super().get_urls()

    @admin.action(description=_("Approve and publish the selected vacancies"))
    def approve_selected(self, request, queryset):
        run_action(
            self,
            request,
            queryset.select_related("school"),
            services.vacancy_approve,
            _("%(count)s vacancies published."),
        )

    def send_back_view(self, request, pk: int):
        vacancy = self.get_object(request, str(pk))
        if vacancy is None or not self.has_change_permission(request, vacancy):
            return redirect("admin:vacancies_vacancy_changelist")
        form = SendBackForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.vacancy_send_back(
                    actor=request.user, vacancy=vacancy, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(request, _("The vacancy was sent back to the school."))
                return redirect("admin:vacancies_vacancy_change", vacancy.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "vacancy": vacancy,
            "form": form,
            "title": _("Send back: %(title)s") % {"title": vacancy},
        }
        return render(request, "admin/vacancies/send_back.html", context)


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "query", "email_alerts", "created_at"]
    search_fields = ["name", "user__email"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
