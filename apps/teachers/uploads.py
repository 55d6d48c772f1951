"""Check an uploaded scan by its content: the one gate every document file passes."""

import hashlib
import unicodedata
from dataclasses import dataclass

import magic
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Detected content type → the suffix the stored file gets.
ALLOWED_CONTENT_TYPES = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
}
SNIFF_BYTES = 8192


@dataclass(frozen=True)
class UploadInfo:
    name: str
    content_type: str
    suffix: str
    size: int
    sha256: str


def _check_name(name: str) -> str:
    if (
        not name
        or "/" in name
        or "\\" in name
        or ".." in name
        or name.startswith(".")
        or any(unicodedata.category(ch).startswith("C") for ch in name)
    ):
        raise ValidationError(
            _("The file name is not allowed: use a plain name such as passport.pdf."),
            code="bad_name",
        )
    return name[-200:]


def inspect_upload(file: File) -> UploadInfo:
    """Return the file's type, size and SHA-256; raise ValidationError unless a PDF/JPEG/PNG."""
    name = _check_name(str(file.name or ""))
    size = file.size or 0
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is larger than %(limit)s MB.") % {"limit": MAX_UPLOAD_BYTES // 2**20},
            code="too_large",
        )
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    content_type = magic.from_buffer(head, mime=True)
    if content_type not in ALLOWED_CONTENT_TYPES:
        raise ValidationError(
            _("Only PDF, JPEG and PNG files are accepted (this file is %(type)s).")
            % {"type": content_type},
            code="bad_type",
        )
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return UploadInfo(
        name=name,
        content_type=content_type,
        suffix=ALLOWED_CONTENT_TYPES[content_type],
        size=size,
        sha256=digest.hexdigest(),
    )
