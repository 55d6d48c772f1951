"""Keyset pagination for incremental sync: rows in (updated_at, id) order, opaque cursors.

A walk starts with an optional `updated_since` and fixes its upper bound `sync_until` (now
minus EXCHANGE_SYNC_SETTLE_SECONDS) in the cursor, so every page of one walk reads the same
window: a row changed during the walk moves past the bound and is left to the next sync, never
served twice, and the rows after the cursor keep their order. When `next` is null the client
stores `sync_until` and passes it as `updated_since` next time.
"""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

CURSOR_SALT = "exchange.sync-cursor"
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
BAD_CURSOR = _("The cursor is not valid; start again without it.")
BAD_SINCE = _(
    "updated_since must be an ISO 8601 date and time with its offset, e.g. "
    "2026-01-31T08:00:00+08:00."
)
BAD_SIZE = _("page_size must be a whole number from 1 to %(max)s.")


def parse_since(value: str) -> datetime:
    """Parse `updated_since`; a '+' that arrived as a space (unencoded) is put back."""
    moment = parse_datetime(value.strip().replace(" ", "+")) if value.strip() else None
    if moment is None:
        raise ValidationError({"updated_since": [str(BAD_SINCE)]})
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    # In UTC, because PostgreSQL refuses offsets beyond ±15:59 that ISO 8601 allows.
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise ValidationError({"updated_since": [str(BAD_SINCE)]}) from None


def sync_window(queryset, *, since: datetime | None, until: datetime, after=None):
    """Return the rows of one walk after the (sync_at, id) position `after`, in sync order."""
    queryset = queryset.filter(sync_at__lte=until)
    if since is not None:
        queryset = queryset.filter(sync_at__gt=since)
    if after is not None:
        moment, pk = after
        queryset = queryset.filter(Q(sync_at__gt=moment) | Q(sync_at=moment, pk__gt=pk))
    return queryset.order_by("sync_at", "pk")


class SyncCursorPagination(BasePagination):
    """Cursor pages over (sync_at, id) with a fixed upper bound per walk."""

    page_size = DEFAULT_PAGE_SIZE

    def _page_size(self, request) -> int:
        raw = request.query_params.get("page_size")
        if raw in (None, ""):
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= MAX_PAGE_SIZE:
            raise ValidationError({"page_size": [str(BAD_SIZE % {"max": MAX_PAGE_SIZE})]})
        return size

    def _decode(self, raw: str, dataset: str) -> dict:
        try:
            state = signing.loads(raw, salt=CURSOR_SALT)
        except signing.BadSignature as error:
            raise ValidationError({"cursor": [str(BAD_CURSOR)]}) from error
        if not isinstance(state, dict) or state.get("d") != dataset:
            raise ValidationError({"cursor": [str(BAD_CURSOR)]})
        return state

    def paginate_queryset(self, queryset, request, view=None):
        dataset = view.dataset
        size = self._page_size(request)
        raw = request.query_params.get("cursor")
        if raw:
            state = self._decode(raw, dataset)
            since = datetime.fromisoformat(state["s"]) if state["s"] else None
            until = datetime.fromisoformat(state["u"])
            after = (datetime.fromisoformat(state["t"]), state["i"])
        else:
            value = request.query_params.get("updated_since")
            since = parse_since(value) if value is not None else None
            settle = timedelta(seconds=settings.EXCHANGE_SYNC_SETTLE_SECONDS)
            until = timezone.now() - settle
            after = None
        rows = list(sync_window(queryset, since=since, until=until, after=after)[: size + 1])
        self.has_next = len(rows) > size
        rows = rows[:size]
        self.request, self.since, self.until = request, since, until
        self.next_state = None
        if self.has_next:
            last = rows[-1]
            self.next_state = {
                "d": dataset,
                "s": since.isoformat() if since else "",
                "u": until.isoformat(),
                "t": last.sync_at.isoformat(),
                "i": last.pk,
            }
        return rows

    def get_next_link(self) -> str | None:
        if self.next_state is None:
            return None
        url = self.request.build_absolute_uri()
        url = remove_query_param(url, "updated_since")
        return replace_query_param(url, "cursor", signing.dumps(self.next_state, salt=CURSOR_SALT))

    def get_paginated_response(self, data) -> Response:
        return Response(
            {
                "next": self.get_next_link(),
                "sync_until": self.until.isoformat(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "required": ["next", "sync_until", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "The next page; null when this walk is complete.",
                },
                "sync_until": {
                    "type": "string",
                    "format": "date-time",
                    "description": "Upper bound of this walk: the next sync's updated_since.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view) -> list:
        return []


SYNC_PARAMETERS = [
    OpenApiParameter(
        "updated_since",
        OpenApiTypes.DATETIME,
        description="Only rows changed after this moment (exclusive); ignored with a cursor.",
    ),
    OpenApiParameter(
        "cursor", OpenApiTypes.STR, description="Opaque; copy it from the previous page's next."
    ),
    OpenApiParameter(
        "page_size", OpenApiTypes.INT, description=f"Rows per page, 1–{MAX_PAGE_SIZE} (100)."
    ),
]
