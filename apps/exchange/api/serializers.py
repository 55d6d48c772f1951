"""The exchanged rows: one serializer per dataset, shared by the API and the bulk exports.

Field names are part of the contract with partner departments: never rename one, only add.
Identity numbers (passport, work and residence permit numbers) and the date of birth are in
clear only for a client holding the `identity` scope; otherwise the same fields carry a masked
number (last three characters) and a null date of birth.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.credit.exchange import ID_PASSPORT, ID_USCC, LIST_TYPES
from apps.employment.selectors import employment_state
from apps.teachers.selectors import mask_passport

from ..scopes import Scope


def _clear(serializer: serializers.Serializer) -> bool:
    return Scope.IDENTITY in serializer.context.get("scopes", ())


def _identity(serializer: serializers.Serializer, number: str) -> str:
    return number if _clear(serializer) else mask_passport(number or "")


class EmploymentChangeSerializer(serializers.Serializer):
    code = serializers.UUIDField(help_text="Stable id of the change.")
    kind = serializers.CharField(help_text="arrival, work_permit, residence_permit, renewal, …")
    effective_on = serializers.DateField()
    recorded_at = serializers.DateTimeField()
    permit_number = serializers.SerializerMethodField(
        help_text="Permit number; masked without the identity scope."
    )
    expires_on = serializers.DateField(allow_null=True)
    new_contract_end = serializers.DateField(allow_null=True)
    transfer_to = serializers.SerializerMethodField(help_text="Receiving school's code.")
    termination_reason = serializers.CharField()
    reference = serializers.CharField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_permit_number(self, change) -> str:
        return _identity(self, change.permit_number)

    @extend_schema_field(OpenApiTypes.UUID)
    def get_transfer_to(self, change) -> str | None:
        return str(change.transfer_to.code) if change.transfer_to_id else None


class EmploymentSchoolSerializer(serializers.Serializer):
    school = serializers.UUIDField(source="school.code")
    school_name = serializers.CharField(source="school.name")
    district = serializers.CharField(source="school.district.code")
    weekly_hours = serializers.IntegerField()
    is_lead = serializers.BooleanField()


class EmploymentSerializer(serializers.Serializer):
    code = serializers.UUIDField()
    status = serializers.CharField(help_text="active or ended.")
    teacher = serializers.UUIDField(source="teacher.code")
    teacher_name = serializers.SerializerMethodField()
    nationality = serializers.CharField(source="teacher.nationality.code")
    category = serializers.IntegerField(source="teacher.category", allow_null=True)
    date_of_birth = serializers.SerializerMethodField(
        help_text="Only with the identity scope; null otherwise."
    )
    passport_number = serializers.SerializerMethodField(
        help_text="Masked without the identity scope."
    )
    school = serializers.UUIDField(source="school.code", help_text="The (lead) school.")
    school_name = serializers.CharField(source="school.name")
    district = serializers.CharField(source="school.district.code")
    cluster = serializers.SerializerMethodField()
    schools = EmploymentSchoolSerializer(many=True, source="schools.all")
    contract_start = serializers.DateField()
    contract_end = serializers.SerializerMethodField(help_text="Current end, after renewals.")
    weekly_hours = serializers.IntegerField()
    hiring_channel = serializers.CharField()
    payment_method = serializers.CharField()
    is_intern = serializers.BooleanField()
    arrival = serializers.SerializerMethodField()
    work_permit_number = serializers.SerializerMethodField()
    work_permit_expires = serializers.SerializerMethodField()
    residence_permit_number = serializers.SerializerMethodField()
    residence_permit_expires = serializers.SerializerMethodField()
    ended_on = serializers.DateField(allow_null=True)
    end_kind = serializers.SerializerMethodField(help_text="departure, transfer, … or empty.")
    changes = EmploymentChangeSerializer(many=True, source="changes.all")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField(
        source="sync_at", help_text="Sync key: the latest change to the row or its teacher."
    )

    def _state(self, employment):
        # Folded once per row: several fields read the derived state.
        if getattr(employment, "_exchange_state", None) is None:
            employment._exchange_state = employment_state(
                employment=employment, changes=list(employment.changes.all())
            )
        return employment._exchange_state

    def get_teacher_name(self, employment) -> str:
        # The legal name only: str(teacher) falls back to the login email, never shared.
        return employment.teacher.legal_name

    @extend_schema_field(OpenApiTypes.DATE)
    def get_date_of_birth(self, employment):
        return employment.teacher.date_of_birth if _clear(self) else None

    def get_passport_number(self, employment) -> str:
        return _identity(self, employment.teacher.passport_number)

    @extend_schema_field(OpenApiTypes.UUID)
    def get_cluster(self, employment) -> str | None:
        return str(employment.cluster.code) if employment.cluster_id else None

    @extend_schema_field(OpenApiTypes.DATE)
    def get_contract_end(self, employment):
        return self._state(employment).contract_end

    @extend_schema_field(OpenApiTypes.DATE)
    def get_arrival(self, employment):
        return self._state(employment).arrival

    def get_work_permit_number(self, employment) -> str:
        return _identity(self, self._state(employment).work_permit_number)

    @extend_schema_field(OpenApiTypes.DATE)
    def get_work_permit_expires(self, employment):
        return self._state(employment).work_permit_expires

    def get_residence_permit_number(self, employment) -> str:
        return _identity(self, self._state(employment).residence_permit_number)

    @extend_schema_field(OpenApiTypes.DATE)
    def get_residence_permit_expires(self, employment):
        return self._state(employment).residence_permit_expires

    def get_end_kind(self, employment) -> str:
        return self._state(employment).end_kind


class SchoolSerializer(serializers.Serializer):
    code = serializers.UUIDField()
    name = serializers.CharField(source="name_zh_hans")
    name_en = serializers.CharField()
    district = serializers.CharField(source="district.code")
    school_type = serializers.CharField(source="school_type.code")
    ownership = serializers.CharField()
    licence_number = serializers.CharField(help_text="Licence or unified social credit code.")
    address = serializers.CharField()
    verification_status = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField(source="sync_at")


class VisitSerializer(serializers.Serializer):
    code = serializers.UUIDField()
    school = serializers.UUIDField(source="school.code", help_text="Host school.")
    school_name = serializers.CharField(source="school.name")
    district = serializers.CharField(source="school.district.code")
    partner_school = serializers.CharField(source="partner_school.name")
    partner_country = serializers.CharField(source="partner_school.country.code")
    visitor_name = serializers.CharField()
    nationality = serializers.CharField(source="nationality.code")
    passport_number = serializers.SerializerMethodField(
        help_text="Masked without the identity scope."
    )
    arrival = serializers.DateField()
    departure = serializers.DateField()
    purpose = serializers.CharField()
    subjects = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField(source="sync_at")

    def get_passport_number(self, visit) -> str:
        return _identity(self, visit.passport_number)

    def get_subjects(self, visit) -> list[str]:
        return [subject.code for subject in visit.subjects.all()]


class CreditRecordSerializer(serializers.Serializer):
    """Names follow the credit platform exchange file (apps.credit.exchange)."""

    record_id = serializers.UUIDField(source="code")
    list_type = serializers.SerializerMethodField(help_text="red_list or black_list.")
    subject_type = serializers.SerializerMethodField(help_text="natural_person or legal_person.")
    subject_code = serializers.SerializerMethodField(help_text="Teacher's or school's code.")
    subject_name = serializers.SerializerMethodField()
    id_type = serializers.SerializerMethodField(help_text="passport or unified_social_credit_code.")
    id_number = serializers.SerializerMethodField(
        help_text="A passport number is masked without the identity scope."
    )
    grounds = serializers.CharField()
    grounds_text = serializers.CharField(source="grounds_other")
    severity = serializers.CharField(help_text="minor, general, serious (restrictions only).")
    facts = serializers.CharField()
    basis = serializers.CharField()
    decision_date = serializers.DateField()
    start_date = serializers.DateField(source="starts_on")
    display_until = serializers.DateField()
    determining_unit = serializers.CharField()
    determining_unit_code = serializers.CharField()
    data_source = serializers.CharField()
    status = serializers.CharField(help_text="active, expired, repaired or revoked.")
    ended_on = serializers.DateField(allow_null=True)
    updated_at = serializers.DateTimeField(source="sync_at")

    def get_list_type(self, record) -> str:
        return LIST_TYPES[record.kind]

    def get_subject_type(self, record) -> str:
        return "natural_person" if record.teacher_id else "legal_person"

    @extend_schema_field(OpenApiTypes.UUID)
    def get_subject_code(self, record) -> str:
        return str((record.teacher or record.school).code)

    def get_subject_name(self, record) -> str:
        return record.teacher.legal_name if record.teacher_id else str(record.school.name)

    def get_id_type(self, record) -> str:
        return ID_PASSPORT if record.teacher_id else ID_USCC

    def get_id_number(self, record) -> str:
        if record.teacher_id:
            return _identity(self, record.teacher.passport_number)
        return record.school.licence_number


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    current = serializers.DecimalField(max_digits=14, decimal_places=4, allow_null=True)
    previous = serializers.DecimalField(max_digits=14, decimal_places=4, allow_null=True)


class CountRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class CoverageRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    schools = serializers.IntegerField()
    covered = serializers.IntegerField()


class StatisticsSerializer(serializers.Serializer):
    jurisdiction = serializers.CharField(help_text="city or a district code.")
    year = serializers.IntegerField()
    on = serializers.DateField(help_text="Reference date of the head counts.")
    headline = FigureSerializer(many=True)
    teachers_by_district = CountRowSerializer(many=True)
    teachers_by_school_type = CountRowSerializer(many=True)
    teachers_by_nationality = CountRowSerializer(many=True)
    coverage_by_district = CoverageRowSerializer(many=True)


SERIALIZERS = {
    "employments": EmploymentSerializer,
    "schools": SchoolSerializer,
    "visits": VisitSerializer,
    "credit": CreditRecordSerializer,
}
