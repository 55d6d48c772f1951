from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.forms import DateInput, DateTimeInput

from .models import InterviewMode, Offer, RejectionReason
from .services import SlotProposal
from .services.offers import OFFER_TERMS


class ApplyForm(forms.Form):
    cover_letter = forms.CharField(
        label=_("Cover letter (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class RejectForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=RejectionReason.choices)
    note = forms.CharField(
        label=_("Note to the teacher"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BulkRejectForm(RejectForm):
    applications = forms.ModelMultipleChoiceField(
        label=_("Applicants"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, applications=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = applications
        self.fields["applications"].to_field_name = "code"


class RankForm(forms.Form):
    rank = forms.IntegerField(label=_("Rank"), required=False, min_value=1, max_value=999)


class OfferForm(forms.ModelForm):
    class Meta:
        model = Offer
        # Exactly the terms the offer service saves and the employment copies.
        fields = list(OFFER_TERMS)
        widgets = {
            "contract_start": DateInput(),
            "contract_end": DateInput(),
            "reply_by": DateInput(),
            "benefits": forms.Textarea(attrs={"rows": 2}),
        }

    @classmethod
    def for_vacancy(cls, vacancy, data=None):
        """Start the offer from the vacancy's advertised terms."""
        initial = {
            "salary": vacancy.salary_max,
            "contract_start": vacancy.contract_start,
            "contract_end": vacancy.contract_end,
            "weekly_hours": vacancy.weekly_hours,
            "housing": vacancy.housing,
            "benefits": vacancy.benefits,
        }
        return cls(data, initial=initial)


SHANGHAI = ZoneInfo("Asia/Shanghai")


class InterviewForm(forms.Form):
    """Up to three times, typed in Asia/Shanghai time (the school's clock)."""

    mode = forms.ChoiceField(label=_("Mode"), choices=InterviewMode.choices)
    location = forms.CharField(
        label=_("Place or video link"),
        max_length=300,
        help_text=_("The address on site, or the link of the video call."),
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), initial=30, min_value=10, max_value=240
    )
    slot_1 = forms.DateTimeField(
        label=_("Time 1 (Asia/Shanghai)"),
        widget=DateTimeInput(),
    )
    slot_2 = forms.DateTimeField(
        label=_("Time 2 (Asia/Shanghai)"),
        required=False,
        widget=DateTimeInput(),
    )
    slot_3 = forms.DateTimeField(
        label=_("Time 3 (Asia/Shanghai)"),
        required=False,
        widget=DateTimeInput(),
    )

    def proposals(self) -> list[SlotProposal]:
        result = []
        for name in ("slot_1", "slot_2", "slot_3"):
            value = self.cleaned_data.get(name)
            if value is None:
                continue
            # The form parsed it in the viewer's zone; the labels promise Shanghai time.
            naive = timezone.make_naive(value) if timezone.is_aware(value) else value
            result.append(
                SlotProposal(
                    starts_at=naive.replace(tzinfo=SHANGHAI),
                    mode=self.cleaned_data["mode"],
                    location=self.cleaned_data["location"],
                    duration_minutes=self.cleaned_data["duration_minutes"],
                )
            )
        return result
