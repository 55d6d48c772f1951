"""Backups: a PostgreSQL custom-format dump, a tar of the private media root, a manifest.

A backup is a folder holding `database.dump` (pg_dump -Fc), `media.tar` and `manifest.json`
(sha256 and size of both archives and of every media file). A restore checks the manifest
before touching anything, restores into a database that must not exist yet and unpacks the
media into an empty folder, checking every file against the manifest again.
"""

import hashlib
import json
import os
import subprocess  # noqa: S404 (pg_dump/pg_restore with argument lists, never a shell)
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg2
from django.db import connections
from django.utils import timezone

MANIFEST = "manifest.json"
DATABASE_FILE = "database.dump"
MEDIA_FILE = "media.tar"
FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


@dataclass(frozen=True)
class Target:
    """Where a PostgreSQL database lives (the settings' connection, or a named database)."""

    name: str
    host: str
    port: str
    user: str
    password: str

    @classmethod
    def from_settings(cls, alias: str = "default", name: str = "") -> "Target":
        settings = connections[alias].settings_dict
        if settings["ENGINE"] != "django.db.backends.postgresql":
            raise BackupError("Backups need PostgreSQL (set DATABASE_URL).")
        return cls(
            name=name or settings["NAME"],
            host=settings.get("HOST") or "",
            port=str(settings.get("PORT") or ""),
            user=settings.get("USER") or "",
            password=settings.get("PASSWORD") or "",
        )

    def args(self) -> list[str]:
        args = []
        if self.host:
            args += ["--host", self.host]
        if self.port:
            args += ["--port", self.port]
        if self.user:
            args += ["--username", self.user]
        return args

    def env(self) -> dict[str, str]:
        # The password travels in the environment, never on the command line (ps would show it).
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def connect(self, name: str):
        return psycopg2.connect(
            dbname=name,
            host=self.host or None,
            port=self.port or None,
            user=self.user or None,
            password=self.password or None,
        )


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def media_checksums(root: Path) -> dict[str, str]:
    """Return {relative path: sha256} of every file under the media root."""
    if not root.exists():
        return {}
    return {
        path.relative_to(root).as_posix(): sha256_file(path)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def backup_create(*, output: Path, media_root: Path, alias: str = "default") -> dict[str, Any]:
    """Write database.dump, media.tar and manifest.json into `output` (which must be empty)."""
    target = Target.from_settings(alias)
    output.mkdir(parents=True, exist_ok=True)
    if any(output.iterdir()):
        raise BackupError(f"{output} is not empty: give a new folder for each backup.")
    dump = output / DATABASE_FILE
    _run(
        [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--file={dump}",
            *target.args(),
            target.name,
        ],
        target.env(),
    )
    media = media_checksums(media_root)
    archive = output / MEDIA_FILE
    with tarfile.open(archive, "w") as tar:
        for relative in media:
            tar.add(media_root / relative, arcname=relative, recursive=False)
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": target.name,
        "files": {
            name: {"sha256": sha256_file(output / name), "size": (output / name).stat().st_size}
            for name in (DATABASE_FILE, MEDIA_FILE)
        },
        "media": media,
    }
    (output / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True), "utf-8")
    return manifest


def backup_verify(*, source: Path) -> dict[str, Any]:
    """Read the manifest and check both archives against it; raise BackupError if not."""
    try:
        manifest = json.loads((source / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"No readable {MANIFEST} in {source}: {error}") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    for name, expected in manifest["files"].items():
        path = source / name
        if not path.is_file() or sha256_file(path) != expected["sha256"]:
            raise BackupError(f"{name} does not match the manifest: the backup is damaged.")
    return manifest


def backup_restore(
    *, source: Path, database: str, media_root: Path, alias: str = "default"
) -> dict[str, Any]:
    """Verify the backup, restore it into the new database `database`, unpack the media."""
    manifest = backup_verify(source=source)
    target = Target.from_settings(alias, name=database)
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"{media_root} is not empty: restore media into an empty folder.")
    admin = target.connect("postgres")
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
            if cursor.fetchone():
                raise BackupError(f"Database {database} exists: restore into a fresh one.")
            cursor.execute(f'CREATE DATABASE "{database}"')  # name checked by the command
    finally:
        admin.close()
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            f"--dbname={database}",
            *target.args(),
            str(source / DATABASE_FILE),
        ],
        target.env(),
    )
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / MEDIA_FILE) as tar:
        # The "data" filter refuses absolute paths, links out of the folder and device files.
        tar.extractall(media_root, filter="data")
    restored = media_checksums(media_root)
    if restored != manifest["media"]:
        raise BackupError("The unpacked media files do not match the manifest.")
    return manifest
