"""Every write to teachers' data goes through these functions."""

from .documents import (
    document_download_record,
    document_reject,
    document_reminders_send,
    document_upload,
    document_verify,
    documents_expire,
)
from .privacy import (
    personal_data_zip,
    teacher_account_delete,
    teacher_deletion_request,
    teacher_identity_view_record,
)
from .profile import (
    KEY_FIELDS,
    teacher_certificates_set,
    teacher_education_save,
    teacher_experiences_set,
    teacher_profile_ensure,
    teacher_profile_validate,
    teacher_reject,
    teacher_submit_for_review,
    teacher_update,
    teacher_verify,
)
from .retention import (
    documents_expired_files_delete,
    teacher_erase,
    teachers_erase_due,
)

__all__ = [
    "KEY_FIELDS",
    "document_download_record",
    "document_reject",
    "document_reminders_send",
    "document_upload",
    "document_verify",
    "documents_expire",
    "documents_expired_files_delete",
    "personal_data_zip",
    "teacher_account_delete",
    "teacher_certificates_set",
    "teacher_deletion_request",
    "teacher_education_save",
    "teacher_erase",
    "teacher_experiences_set",
    "teacher_identity_view_record",
    "teacher_profile_ensure",
    "teacher_profile_validate",
    "teacher_reject",
    "teacher_submit_for_review",
    "teacher_update",
    "teacher_verify",
    "teachers_erase_due",
]
