from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.core.forms import DateInput, add_service_errors
from apps.core.models import District, Subject

from .models import RunKind
from .services import match_run_check


class InviteForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the teacher (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def check_run_start(form: forms.Form, cleaned: dict) -> dict:
    """Apply the service's start rules in a run form, so errors show beside the fields."""
    if not cleaned.get("kind"):
        return cleaned  # the field already says what is wrong
    try:
        match_run_check(
            district=cleaned.get("district"),
            kind=cleaned["kind"],
            season_start=cleaned.get("season_start"),
            season_end=cleaned.get("season_end"),
        )
    except ValidationError as error:
        add_service_errors(form, error)
    return cleaned


class RunStartForm(forms.Form):
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.all(),
        required=False,
        empty_label=_("Whole city"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(RunKind.FULL, RunKind.FULL.label), (RunKind.STABLE, RunKind.STABLE.label)],
        initial=RunKind.FULL,
        widget=forms.RadioSelect,
    )
    season_start = forms.DateField(
        label=_("Season from"),
        required=False,
        widget=DateInput(),
        help_text=_("Stable round only: applications made from this day…"),
    )
    season_end = forms.DateField(
        label=_("Season to"),
        required=False,
        widget=DateInput(),
        help_text=_("…up to and including this day."),
    )

    def clean(self) -> dict:
        return check_run_start(self, super().clean())


class RunFilterForm(forms.Form):
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All districts"),
    )
    subject = forms.ModelChoiceField(
        label=_("Subject"),
        queryset=Subject.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All subjects"),
    )
    min_score = forms.DecimalField(
        label=_("Lowest score"), required=False, min_value=0, max_value=100
    )
    show = forms.ChoiceField(
        label=_("Show"),
        choices=[
            ("assigned", _("Recommended assignment")),
            ("all", _("All shortlisted pairs")),
        ],
        required=False,
    )

    def __init__(self, *args, default_show: str = "assigned", **kwargs) -> None:
        super().__init__(*args, initial={"show": default_show}, **kwargs)
        self.default_show = default_show
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs["class"] = css


class PairForm(forms.Form):
    # Staff search by name or title; the page sends the chosen rows' codes, never ids.
    teacher_q = forms.CharField(
        label=_("Find a teacher"),
        required=False,
        help_text=_("Name, email or passport number."),
    )
    teacher = forms.UUIDField(
        label=_("Teacher"),
        error_messages={"required": _("Choose a teacher from the search results.")},
    )
    vacancy_q = forms.CharField(
        label=_("Find a vacancy"),
        required=False,
        help_text=_("Title or school name."),
    )
    vacancy = forms.UUIDField(
        label=_("Vacancy"),
        error_messages={"required": _("Choose a vacancy from the search results.")},
    )
