"""What the center reads for each audit action about a teacher and their documents."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "teacher.create": _("Profile created"),
    "teacher.update": _("Profile changed"),
    "teacher.certificates": _("Certificates changed"),
    "teacher.submit": _("Profile submitted for review"),
    "teacher.verify": _("Profile verified"),
    "teacher.reject": _("Profile sent back for changes"),
    "teacher.back_to_review": _("Key data changed: back to review"),
    "teacher.passport.view": _("Full passport number and date of birth viewed"),
    "teacher.deletion_request": _("Account deletion requested"),
    "teacher.account_delete": _("Account deleted"),
    "teacher.erased": _("Personal data erased after the legal hold"),
    "teacher.document.upload": _("Document uploaded"),
    "teacher.document.verify": _("Document verified"),
    "teacher.document.reject": _("Document rejected"),
    "teacher.document.expire": _("Document expired"),
    "teacher.document.download": _("Document downloaded"),
    "teacher.document.preview": _("Document previewed"),
    "teacher.document.file_deleted": _("Document file deleted (record kept)"),
}
