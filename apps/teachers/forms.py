from django import forms
from django.forms import formset_factory
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from apps.core.forms import DateInput
from apps.core.models import District, Language, Subject, TeachingLevel

from .models import (
    Authentication,
    CertificateKind,
    DocumentKind,
    RejectionReason,
    Teacher,
)


class PersonalForm(forms.ModelForm):
    native_languages = forms.ModelMultipleChoiceField(
        label=_("Native languages"),
        queryset=Language.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Teacher
        fields = [
            "legal_name",
            "date_of_birth",
            "gender",
            "nationality",
            "native_languages",
            "chinese_level",
            "passport_number",
            "current_country",
            "current_city",
            "timezone",
        ]
        widgets = {"date_of_birth": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ["legal_name", "date_of_birth", "gender", "nationality", "passport_number"]:
            self.fields[name].required = True
        if self.instance.user_id and "timezone" not in (kwargs.get("initial") or {}):
            # The account holds the zone (the preferences page changes only it); saving the
            # profile must not put back an older one.
            self.initial["timezone"] = self.instance.user.timezone


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Teacher
        fields = [
            "category",
            "intern_university",
            "intern_expected_graduation",
            "china_university",
            "china_degree_level",
        ]
        widgets = {
            "category": forms.RadioSelect,
            "intern_expected_graduation": DateInput,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].required = True
        self.fields["category"].choices = [c for c in self.fields["category"].choices if c[0] != ""]


class EducationForm(forms.ModelForm):
    class Meta:
        model = Teacher
        fields = [
            "degree_level",
            "degree_field",
            "degree_is_education",
            "degree_university",
            "degree_country",
            "degree_year",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ["degree_level", "degree_university", "degree_year"]:
            self.fields[name].required = True


class CertificateForm(forms.Form):
    # A blank first choice, so the empty extra row stays unchanged (and is skipped).
    kind = forms.ChoiceField(
        label=_("Certificate"), choices=[("", "---------"), *CertificateKind.choices]
    )
    hours = forms.IntegerField(label=_("Hours"), required=False, min_value=1, max_value=5000)
    issuing_country = CountryField(blank=True).formfield(label=_("Issuing country"))
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1940, max_value=2100)


CertificateFormSet = formset_factory(CertificateForm, extra=1, can_delete=True)


class ExperienceForm(forms.Form):
    school = forms.CharField(label=_("School"), max_length=200)
    country = CountryField().formfield(label=_("Country"))
    started_on = forms.DateField(label=_("From"), widget=DateInput)
    ended_on = forms.DateField(
        label=_("To"), required=False, widget=DateInput, help_text=_("Empty if current.")
    )
    subjects = forms.CharField(label=_("Subjects taught"), max_length=200, required=False)
    levels = forms.ModelMultipleChoiceField(
        label=_("Levels taught"),
        queryset=TeachingLevel.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class BaseExperienceFormSet(forms.BaseFormSet):
    """Every row offers the same teaching levels: they are read once, not once per row."""

    @cached_property
    def level_choices(self) -> list:
        return list(ExperienceForm.base_fields["levels"].choices)

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields["levels"].choices = self.level_choices


ExperienceFormSet = formset_factory(
    ExperienceForm, formset=BaseExperienceFormSet, extra=1, can_delete=True
)


class PreferencesForm(forms.ModelForm):
    subjects = forms.ModelMultipleChoiceField(
        label=_("Subjects you can teach"),
        queryset=Subject.objects.select_related("language"),
        widget=forms.CheckboxSelectMultiple,
    )
    levels = forms.ModelMultipleChoiceField(
        label=_("School levels you can teach"),
        queryset=TeachingLevel.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    preferred_districts = forms.ModelMultipleChoiceField(
        label=_("Preferred districts"),
        queryset=District.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Teacher
        fields = [
            "subjects",
            "levels",
            "preferred_districts",
            "earliest_start",
            "salary_min",
            "salary_max",
            "bio",
            "open_to_suggestions",
        ]
        widgets = {"earliest_start": DateInput, "bio": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["earliest_start"].required = True

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("salary_min"), cleaned.get("salary_max")
        if low and high and high < low:
            self.add_error("salary_max", _("The upper end is below the lower end."))
        return cleaned


STEP_FORMS = {
    "personal": PersonalForm,
    "category": CategoryForm,
    "education": EducationForm,
    "preferences": PreferencesForm,
}
M2M_FIELDS = {"native_languages", "subjects", "levels", "preferred_districts"}


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=DocumentKind.choices)
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, JPEG or PNG, at most 10 MB."), allow_empty_file=True
    )
    issuing_country = CountryField(blank=True).formfield(label=_("Issuing country"))
    issued_on = forms.DateField(label=_("Issue date"), required=False, widget=DateInput)
    expires_on = forms.DateField(label=_("Expiry date"), required=False, widget=DateInput)
    authentication = forms.ChoiceField(
        label=_("Authentication"), choices=Authentication.choices, initial=Authentication.NONE
    )


class RejectForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=RejectionReason.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea)
