"""Bad input on the school pages: refused with a message in the page's language, input kept."""

from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from apps.core.validators import validate_phone_number
from apps.schools.models import PendingSchoolRegistration, School
from tests.schools.test_views import registration_data, zh

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("phone", ["abc", "12", "0571-8800-abcd", "+86 571 8800 1234 5678 9012 3"])
def test_phone_validator_refuses_what_is_no_number(phone):
    with pytest.raises(ValidationError):
        validate_phone_number(phone)


@pytest.mark.parametrize(
    "phone", ["0571-88001234", "+86 138 0013 8000", "(0571) 8800 1234", "0571-88001234-8021"]
)
def test_phone_validator_accepts_the_usual_ways_of_writing_one(phone):
    validate_phone_number(phone)


def test_registration_refuses_a_phone_of_letters_in_chinese_and_keeps_the_input(client):
    response = client.post(zh("schools:register"), registration_data(contact_phone="abc"))

    page = unescape(response.content.decode())
    with translation.override("zh-hans"):
        message = str(validate_phone_number.message)
    assert response.status_code == 200
    assert message in page and "0571" in message
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message)
    assert 'value="abc"' in page and 'value="杭州市文新小学"' in page
    assert not School.objects.exists() and not PendingSchoolRegistration.objects.exists()


def test_the_service_refuses_it_too(center_user):
    from apps.schools import services

    data = registration_data(contact_phone="abc")
    for name in ("liaison_password2",):
        data.pop(name)
    from apps.core.models import District, SchoolType

    data["district"] = District.objects.get(pk=data["district"])
    data["school_type"] = SchoolType.objects.get(pk=data["school_type"])
    with pytest.raises(ValidationError) as error:
        services.school_register(**data)
    assert "contact_phone" in error.value.message_dict
