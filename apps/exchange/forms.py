from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.forms import DateTimeInput

from .models import ApiClient, ExportFormat
from .scopes import Dataset, Scope


class ApiClientForm(forms.ModelForm):
    """Admin form of an API client: scopes as checkboxes; the token is never a field."""

    scopes = forms.MultipleChoiceField(
        label=_("scopes"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ApiClient
        fields = [
            "department",
            "contact",
            "scopes",
            "expires_at",
            "ip_allowlist",
            "rate_limit_per_minute",
        ]

    def _post_clean(self) -> None:
        super()._post_clean()
        from .services import api_client_validate

        try:
            api_client_validate(self.instance)
        except ValidationError as error:
            self._update_errors(error)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["expires_at"].initial = timezone.now() + timedelta(days=365)


class ExportRequestForm(forms.Form):
    dataset = forms.ChoiceField(label=_("dataset"), choices=Dataset.choices)
    format = forms.ChoiceField(label=_("format"), choices=ExportFormat.choices)
    updated_since = forms.DateTimeField(
        label=_("changed since"),
        required=False,
        help_text=_("Leave empty for every row."),
        widget=DateTimeInput(),
    )


class QualityFilterForm(forms.Form):
    district = forms.ChoiceField(label=_("district"), required=False)

    def __init__(self, *args, districts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [("", _("Whole city"))] + [
            (district.code, str(district)) for district in districts
        ]
