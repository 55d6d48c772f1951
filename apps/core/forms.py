from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


class DateInput(forms.DateInput):
    """An HTML5 date picker, always given its value as ISO YYYY-MM-DD.

    A browser ignores any other format in <input type="date">, so the value must not follow
    the active language's DATE_INPUT_FORMATS (zh-hans would render 2026/12/04 and the field
    would show up empty). Parsing is unchanged: DateField accepts ISO input in every language.
    """

    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    """An HTML5 date and time picker, given its value as YYYY-MM-DDTHH:MM (as DateInput)."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form so the page re-renders with the input kept.

    Errors about model fields the form does not show (e.g. a translated field's base name)
    become form-wide errors instead of raising.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, field_errors)


def add_service_messages(request: HttpRequest, error: ValidationError) -> None:
    """Show a service's ValidationError as error messages (for actions without a form page)."""
    for message in error.messages:
        messages.error(request, message)
