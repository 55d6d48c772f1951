from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import DateInput
from apps.core.models import District, SchoolType
from apps.core.validators import validate_phone_number

from .models import Ownership, PartnerSchool


class SchoolRegistrationForm(forms.Form):
    name_zh_hans = forms.CharField(label=_("School name (Chinese)"), max_length=200)
    name_en = forms.CharField(label=_("School name (English)"), max_length=200, required=False)
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.all())
    school_type = forms.ModelChoiceField(label=_("School type"), queryset=SchoolType.objects.all())
    ownership = forms.ChoiceField(label=_("Public or private"), choices=Ownership.choices)
    licence_number = forms.CharField(
        label=_("Licence / registration number"),
        max_length=64,
        help_text=_("The school's operating licence or unified social credit code."),
    )
    address = forms.CharField(label=_("Address"), max_length=255)
    contact_phone = forms.CharField(
        label=_("School contact phone"), max_length=40, validators=[validate_phone_number]
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    liaison_name = forms.CharField(label=_("Liaison's name"), max_length=150)
    liaison_email = forms.EmailField(
        label=_("Liaison's email address"),
        help_text=_("We send a confirmation link to this address; it is also the login."),
    )
    # render_value: a registration sent back for another field's mistake keeps the password,
    # so the long form is not retyped (the page is only ever served over HTTPS).
    liaison_password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(render_value=True)
    )
    liaison_password2 = forms.CharField(
        label=_("Password (again)"), strip=False, widget=forms.PasswordInput(render_value=True)
    )

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("liaison_password"), cleaned.get("liaison_password2")
        if first and second and first != second:
            self.add_error("liaison_password2", _("The two passwords do not match."))
        return cleaned


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Colleague's email address"))


class InvitationAcceptForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=150)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(
        label=_("Password (again)"), strip=False, widget=forms.PasswordInput
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") and cleaned.get("password") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords do not match."))
        return cleaned


class PartnerSchoolForm(forms.ModelForm):
    # Typed without a scheme ("www.example.org"), a website is read as https, not http.
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = PartnerSchool
        fields = ["name", "country", "city", "since", "website"]
        widgets = {"since": DateInput()}


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the rejection"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=_("The school's liaison reads this in the notification."),
    )
