"""`manage.py backup` / `restore` (make backup / make restore): what was saved comes back whole."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from apps.core.backups import Target, media_checksums
from tests.security.objects import build_world

pytestmark = pytest.mark.postgres

MEDIA = {
    "documents/2026/12/passport-scan.pdf": b"%PDF-1.4 passport",
    "documents/2026/12/健康证明.pdf": b"%PDF-1.4 health",
    "reports/2025/annual-report-330106.xlsx": b"PK\x03\x04 report",
    "credit-files/evidence.pdf": b"%PDF-1.4 evidence",
}


def _row_counts(target: Target, name: str) -> dict[str, int]:
    conn = target.connect(name)
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
            tables = [row[0] for row in cursor.fetchall()]
            counts = {}
            for table in tables:
                cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 (catalogue names)
                counts[table] = cursor.fetchone()[0]
            return counts
    finally:
        conn.close()


def _drop(target: Target, name: str) -> None:
    conn = target.connect("postgres")
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
    finally:
        conn.close()


def _database_url(target: Target, name: str) -> str:
    password = f":{target.password}" if target.password else ""
    return f"postgres://{target.user}{password}@{target.host}:{target.port or 5432}/{name}"


@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_a_fresh_database_with_every_row_and_file(tmp_path):
    build_world()  # committed rows across most tables (pg_dump reads from its own session)
    media_root = tmp_path / "media"
    for relative, content in MEDIA.items():
        (media_root / relative).parent.mkdir(parents=True, exist_ok=True)
        (media_root / relative).write_bytes(content)
    target = Target.from_settings()
    restored_name = f"{connection.settings_dict['NAME']}_restored"[:63]
    _drop(target, restored_name)
    try:
        call_command("backup", output=str(tmp_path / "backup"), media_root=str(media_root))
        call_command(
            "restore",
            str(tmp_path / "backup"),
            database=restored_name,
            media_root=str(tmp_path / "restored-media"),
        )
        check = subprocess.run(  # noqa: S603 (this interpreter, fixed arguments)
            [sys.executable, "manage.py", "migrate", "--check"],
            cwd=settings.BASE_DIR,
            env=os.environ | {"DATABASE_URL": _database_url(target, restored_name)},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert check.returncode == 0, check.stdout + check.stderr
        original = _row_counts(target, target.name)
        assert sum(original.values()) > 100
        assert _row_counts(target, restored_name) == original
        assert media_checksums(tmp_path / "restored-media") == media_checksums(media_root)
        assert len(media_checksums(media_root)) == len(MEDIA)
    finally:
        _drop(target, restored_name)


@pytest.mark.django_db(transaction=True)
def test_a_damaged_backup_is_refused_before_anything_is_restored(tmp_path):
    media_root = tmp_path / "media"
    media_root.mkdir()
    (media_root / "a.pdf").write_bytes(b"%PDF-1.4 a")
    call_command("backup", output=str(tmp_path / "backup"), media_root=str(media_root))
    archive = Path(tmp_path / "backup" / "media.tar")
    archive.write_bytes(archive.read_bytes().replace(b"%PDF-1.4 a", b"%PDF-1.4 b"))
    target = Target.from_settings()
    name = f"{connection.settings_dict['NAME']}_damaged"[:63]
    _drop(target, name)
    with pytest.raises(CommandError, match="does not match the manifest"):
        call_command(
            "restore", str(tmp_path / "backup"), database=name, media_root=str(tmp_path / "out")
        )
    conn = target.connect("postgres")
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            assert cursor.fetchone() is None
    finally:
        conn.close()
    assert not (tmp_path / "out").exists()
