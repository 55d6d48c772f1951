from typing import Any

from apps.core.exports import FileMissing, stored_file_open
from apps.core.personal_data import ExportedFile

from .models import QUALIFICATION_FIELDS, Teacher

PROFILE_FIELDS = [
    "legal_name",
    "date_of_birth",
    "gender",
    "nationality",
    "chinese_level",
    "current_country",
    "current_city",
    "timezone",
    "passport_number",
    *QUALIFICATION_FIELDS,
    "earliest_start",
    "salary_min",
    "salary_max",
    "bio",
    "open_to_suggestions",
    "status",
    "created_at",
]


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def export_teacher(user: Any) -> dict[str, Any]:
    teacher = (
        Teacher.objects.filter(user=user)
        .prefetch_related(
            "native_languages", "subjects", "levels", "preferred_districts", "documents"
        )
        .first()
    )
    if teacher is None:
        return {}
    files = []
    documents = []
    for document in teacher.documents.all():
        stored_name = f"{document.kind}-{document.code}{document.file.name[-4:]}"
        try:
            handle = stored_file_open(document.file)
        except FileMissing as error:
            # Export what exists and say which file is gone, rather than fail the whole export.
            missing = str(error)
        else:
            with handle:
                files.append(ExportedFile(name=stored_name, content=handle.read()))
            missing = ""
        documents.append(
            {
                "kind": document.kind,
                "file": "" if missing else f"files/{stored_name}",
                "file_missing": missing,
                "original_name": document.original_name,
                "status": document.status,
                "sha256": document.sha256,
                "issued_on": _plain(document.issued_on),
                "expires_on": _plain(document.expires_on),
                "uploaded_at": _plain(document.uploaded_at),
            }
        )
    return {
        "profile": {name: _plain(getattr(teacher, name)) for name in PROFILE_FIELDS},
        "native_languages": [language.code for language in teacher.native_languages.all()],
        "subjects": [subject.code for subject in teacher.subjects.all()],
        "levels": [level.code for level in teacher.levels.all()],
        "preferred_districts": [d.code for d in teacher.preferred_districts.all()],
        "certificates": list(
            teacher.certificates.values("kind", "hours", "issuing_country", "year")
        ),
        "experience": [
            {
                "school": e.school,
                "country": str(e.country),
                "from": _plain(e.started_on),
                "to": _plain(e.ended_on),
                "subjects": e.subjects,
            }
            for e in teacher.experiences.all()
        ],
        "documents": documents,
        "_files": files,
    }


def erase_teacher(user: Any) -> None:
    # The profile, documents and history are records the law requires: keep them, detached,
    # and never suggested to a school again. The retention job erases them after the hold.
    Teacher.objects.filter(user=user).update(user=None, open_to_suggestions=False)
