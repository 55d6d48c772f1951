from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import DateInput
from apps.core.models import Subject
from apps.vacancies.models import HiringChannel

from .models import ChangeKind, EmploymentChange, ExchangeVisit, InternshipAgreement, PaymentMethod
from .services.register import CHANGE_FIELDS


class HireForm(forms.Form):
    hiring_channel = forms.ChoiceField(label=_("Hiring channel"), choices=HiringChannel.choices)
    payment_method = forms.ChoiceField(label=_("Payment"), choices=PaymentMethod.choices)
    agency_name = forms.CharField(
        label=_("Service agency"),
        required=False,
        max_length=200,
        help_text=_("Only for a teacher bought from a service agency."),
    )


class ChangeForm(forms.ModelForm):
    class Meta:
        model = EmploymentChange
        fields = ["kind", "effective_on", *CHANGE_FIELDS]
        widgets = {
            "effective_on": DateInput(),
            "arrival_time": forms.TimeInput(attrs={"type": "time"}),
            "expires_on": DateInput(),
            "new_contract_end": DateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "permit_number": _("Work or residence permit only."),
            "expires_on": _("Work or residence permit only."),
            "new_contract_end": _("Renewal or internship extension only."),
        }

    def __init__(self, *args, cluster: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not cluster:
            self.fields["kind"].choices = [
                choice
                for choice in self.fields["kind"].choices
                if choice[0] not in {ChangeKind.TEACHING_PLAN_FILED, ChangeKind.HIRE_REPORTED}
            ]

    def service_values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("kind")
        data.pop("effective_on")
        return {key: value for key, value in data.items() if value not in (None, "")}


class AgreementForm(forms.ModelForm):
    class Meta:
        model = InternshipAgreement
        fields = ["university", "starts_on", "ends_on", "file"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
        }


class ExchangeVisitForm(forms.ModelForm):
    subjects = forms.ModelMultipleChoiceField(
        label=_("Subjects"), queryset=Subject.objects.all(), required=False
    )

    class Meta:
        model = ExchangeVisit
        fields = [
            "partner_school",
            "visitor_name",
            "nationality",
            "passport_number",
            "arrival",
            "departure",
            "purpose",
            "subjects",
        ]
        widgets = {
            "arrival": DateInput(),
            "departure": DateInput(),
            "purpose": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, partner_schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner_school"].queryset = partner_schools
