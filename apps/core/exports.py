import csv
import logging
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.core.files import File
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext

logger = logging.getLogger(__name__)


class _Echo:
    """A file-like object whose write() hands the CSV line back for streaming."""

    def write(self, value: str) -> str:
        return value


# A spreadsheet reads a cell starting with one of these as a formula (OWASP, CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe_cell(value) -> object:
    """Return the cell with a leading quote if a spreadsheet would read it as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal):
        return value  # a number is data, even a negative one
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


class SafeCsvWriter:
    """csv.writer whose every cell is neutralised against formula injection; one per export."""

    def __init__(self, stream) -> None:
        self._writer = csv.writer(stream)

    def writerow(self, row: Iterable) -> object:
        return self._writer.writerow([csv_safe_cell(cell) for cell in row])


def csv_response(filename: str, rows: Iterable[list]) -> StreamingHttpResponse:
    """Stream rows as a dated CSV download that Excel opens with Chinese intact.

    Every export goes through here: each cell is neutralised against formula injection.
    """
    writer = SafeCsvWriter(_Echo())

    def stream() -> Iterator[str]:
        yield "\ufeff"  # BOM: Excel opens UTF-8 Chinese correctly only with it
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.csv"'
    # core.middleware.SecurityHeadersMiddleware writes the audit row (it knows the user).
    response.export_name = filename
    return response


def export_audit(*, request, response) -> None:
    """Record who downloaded which CSV export (one audit row per export, like downloads)."""
    from .services import audit_record

    audit_record(
        actor=getattr(request, "user", None),
        action="export.downloaded",
        # The path only: a query string may hold a search term (a name, a passport number).
        after={"export": response.export_name, "path": request.path},
    )


class FileMissing(Http404):
    """A row names a stored file that is gone: a 404 whose message the reader is shown."""


def stored_file_open(field_file) -> File:
    """Open a private stored file for reading; raise FileMissing if storage no longer has it.

    Downloads open the file before they write their audit row, so a missing file is a 404
    with a message and leaves no record of a download that never happened.
    """
    if not field_file:
        raise FileMissing(gettext("No file is attached here."))
    try:
        return field_file.open("rb")
    except OSError as error:  # FileNotFoundError, or a storage backend's read failure
        logger.error("Stored file %s cannot be read: %s", field_file.name, error)
        raise FileMissing(
            gettext(
                "The file is missing from the portal's storage, so it cannot be downloaded. "
                "The service center has been alerted; please ask it to upload the file again."
            )
        ) from error


def attachment_response(handle: File, *, filename: str) -> FileResponse:
    """Serve an opened private file as a download the browser will not sniff or render inline."""
    response = FileResponse(handle, as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
