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

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)  # noqa: S311 - demo data, not secrets

    def sized(self, *, small: int, city: int) -> int:
        return small if self.scale == Scale.SMALL else city

    def add_login(self, role: str, email: str, password: str = DEMO_PASSWORD) -> None:
        self.logins.append((role, email, password))


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
