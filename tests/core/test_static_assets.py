"""Production's static storage must accept every shipped file (the image could not start)."""

import json

import pytest
from django.core.management import call_command

MANIFEST_STORAGE = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}


@pytest.fixture
def manifest_storage(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": MANIFEST_STORAGE}
    return settings.STATIC_ROOT


def test_collectstatic_with_the_production_storage_hashes_every_vendored_asset(manifest_storage):
    # Raises MissingFileError if a .js/.css file references a file (a source map, a font, an
    # image) that is not shipped.
    call_command("collectstatic", interactive=False, verbosity=0)

    paths = json.loads((manifest_storage / "staticfiles.json").read_text())["paths"]
    for name in (
        "vendor/bootstrap/bootstrap.min.css",
        "vendor/bootstrap/bootstrap.bundle.min.js",
        "vendor/chartjs/chart.umd.min.js",
        "vendor/htmx/htmx.min.js",
    ):
        assert name in paths
        assert (manifest_storage / paths[name]).is_file()
