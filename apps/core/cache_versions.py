"""Cache versions: what cached pages and figures are keyed by, and how writes retire them.

A version is a number in the shared cache under a name. Whatever is cached under a key that
holds it is retired when it is bumped. A version never set, expired or evicted comes back as
the clock in microseconds, so it never meets a key an older value made (a bump adds one).

A bump happens now and again once the transaction commits: now, so the rest of the request
(and a test, which never commits) reads the change; after commit, so what another request
cached from the old rows in between is retired too.

Writes reach the versions through `rows_watched`: saves and deletes of a model's rows (the
admin's too) and the audit event every service writes about a row, which is how a status
moved by a conditional UPDATE (apps.core.transitions sends no post_save) or rows created in
bulk are seen. The receivers only bump versions; the rules stay in the services.
"""

import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

# A version outlives what is cached under it (minutes); one that expires comes back anew.
VERSION_SECONDS = 7 * 24 * 3600

# Called with the row, its pk and what happened: "created", "updated" or "deleted" (the row in
# hand), or the action of an audit event about it (row None: only its pk is known).
RowHandler = Callable[[Model | None, Any, str], None]
_handlers: dict[str, list[RowHandler]] = {}


def versions_get(keys: Sequence[str]) -> list[int]:
    """Return the versions under these names in one cache round trip, creating missing ones."""
    found = cache.get_many(list(keys))
    return [found[key] if key in found else _version_create(key) for key in keys]


def version_get(key: str) -> int:
    """Return the version under this name, creating it when missing."""
    return versions_get([key])[0]


def versions_bump(keys: Iterable[str]) -> None:
    """Retire everything cached under these versions, now and after commit."""
    keys = tuple(dict.fromkeys(keys))
    if not keys:
        return
    _bump(keys)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump(keys))


def rows_watched(label: str, handler: RowHandler, *, audited: bool = True) -> None:
    """Call the handler after each save or delete of a row of the model ("app_label.model").

    With ``audited``, also for every audit event about one of its rows (row None, its pk).
    Connect from an AppConfig.ready(); the label is resolved once that app is loaded.
    """
    for signal in (post_save, post_delete):
        signal.connect(
            _row_receiver(handler), sender=label, weak=False, dispatch_uid=(label, id(handler))
        )
    if audited:
        _handlers.setdefault(label.lower(), []).append(handler)
        post_save.connect(
            _audit_event_written, sender="core.auditevent", dispatch_uid="core-cache-versions"
        )


def _row_receiver(handler: RowHandler) -> Callable[..., None]:
    def receiver(sender: type[Model], instance: Model, signal: Any, **kwargs: Any) -> None:
        if signal is post_delete:
            happened = "deleted"
        else:
            happened = "created" if kwargs.get("created") else "updated"
        handler(instance, instance.pk, happened)

    return receiver


def _audit_event_written(sender: Any, instance: Any, created: bool = False, **kwargs) -> None:
    if not created or instance.target_type_id is None:
        return
    from django.contrib.contenttypes.models import ContentType

    target = ContentType.objects.get_for_id(instance.target_type_id)
    for handler in _handlers.get(f"{target.app_label}.{target.model}", ()):
        handler(None, instance.target_id, instance.action)


def _version_create(key: str) -> int:
    value = time.time_ns() // 1000
    if cache.add(key, value, VERSION_SECONDS):
        return value
    return cache.get(key) or value  # another request created it first


def _bump(keys: tuple[str, ...]) -> None:
    for key in keys:
        try:
            cache.incr(key)
        except ValueError:  # not set, expired or evicted: a new value retires the old keys
            _version_create(key)
