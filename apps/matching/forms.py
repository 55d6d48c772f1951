from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.core.forms import add_service_errors

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
