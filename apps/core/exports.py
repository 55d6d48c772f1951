import csv
from collections.abc import Iterable, Iterator

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone


class _Echo:
    """A file-like object whose write() hands the CSV line back for streaming."""

    def write(self, value: str) -> str:
        return value


def csv_response(filename: str, rows: Iterable[list]) -> StreamingHttpResponse:
    """Stream rows as a dated CSV download that Excel opens with Chinese intact."""
    writer = csv.writer(_Echo())

    def stream() -> Iterator[str]:
        yield "\ufeff"  # BOM: Excel opens UTF-8 Chinese correctly only with it
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.csv"'
    return response


def attachment_response(field_file, *, filename: str) -> FileResponse:
    """Serve a private file as a download the browser will not sniff or render inline."""
    response = FileResponse(field_file.open("rb"), as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
