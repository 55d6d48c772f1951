"""Test settings: the same stack as dev, with fast hashing and an in-memory outbox."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests always run tasks in-process unless a test starts a real worker itself.
CELERY_TASK_ALWAYS_EAGER = True
# Surface task bugs in tests; tests of retries run tasks with apply(throw=False).
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default="cache+memory://")
# Each test process keeps its own cache (tests clear it between tests), whatever the
# environment's Redis: parallel test processes must not flush one another's entries.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "local": CACHES["local"],  # noqa: F405
}
SHARED_CACHE = False
SESSION_ENGINE = "django.contrib.sessions.backends.db"
FIELD_ENCRYPTION_KEYS = ["cGFzc3BvcnQtbnVtYmVycy10ZXN0LWtleS0wMDAwMDA="]
FIELD_HASH_KEY = "test-hash-key"
INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]  # noqa: F405

# Serve static files straight from the app folders (no collectstatic needed).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
