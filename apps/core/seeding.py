"""The seed_demo framework: each app may have a `seed.py` with `seed(context)`.

Seeds run in INSTALLED_APPS order (the layer order), are deterministic for a seed number and
idempotent (natural keys, upserts), so running `seed_demo` twice changes nothing.
"""

import importlib
import random
from dataclasses import dataclass, field
from enum import StrEnum

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

DEMO_PASSWORD = "hangzhou-demo-2026"  # noqa: S105 - demo data only; seed_demo refuses production


class Scale(StrEnum):
    SMALL = "small"
    CITY = "city"


@dataclass
class SeedContext:
    scale: Scale
    seed: int
    stdout: object
    rng: random.Random = field(init=False)
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)  # noqa: S311 - demo data, not secrets

    def sized(self, *, small: int, city: int) -> int:
        return small if self.scale == Scale.SMALL else city

    def add_login(self, role: str, email: str, password: str = DEMO_PASSWORD) -> None:
        self.logins.append((role, email, password))

    def add_note(self, note: str) -> None:
        """Print this under the demo logins (e.g. how a login passes two-factor sign-in)."""
        self.notes.append(note)


def seed_modules() -> list:
    modules = []
    for app_config in apps.get_app_configs():
        if not app_config.name.startswith("apps."):
            continue
        try:
            modules.append(importlib.import_module(f"{app_config.name}.seed"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{app_config.name}.seed":
                raise
    return modules


def is_production_settings() -> bool:
    return settings.SETTINGS_MODULE.rsplit(".", 1)[-1] == "production"


def tiny_pdf(label: str) -> bytes:
    """A minimal PDF; the label makes each file's bytes (and hash) unique."""
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\n"
        + f"% hz-waijiao demo {label}\n".encode()
        + b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def seed_file(name: str, content: bytes) -> str:
    """Store a demo file under name unless it is there already; return the stored name.

    A seed row that names a file must name one this wrote: a missing file breaks downloads.
    """
    if default_storage.exists(name):
        return name
    return default_storage.save(name, ContentFile(content))
