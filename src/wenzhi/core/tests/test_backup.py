"""`wenzhi backup` / `wenzhi restore`: every row and uploaded file comes back, nothing more; a wrong, damaged or
newer backup changes nothing and says why with its exit code; the current data is kept aside first."""

import gzip
import io
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from wenzhi.core import backup as backup_module
from wenzhi.core.choices import Level
from wenzhi.core.models import Organisation, User
from wenzhi.core.services import organisation_create

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _pg_tools_and_own_safety_folder(tmp_path, settings):
    if connection.vendor == "postgresql" and not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed on this machine")
    settings.WENZHI_BACKUP_DIR = tmp_path / "safety"


def _snapshot():
    return (sorted(Organisation.objects.values_list("id", "name", "level", "code", "parent_id")),
            sorted(User.objects.values_list("id", "username", "password", "roles")))


def _fails(code, match, *args, **kwargs):
    with pytest.raises(CommandError, match=match) as info:
        call_command(*args, **kwargs)
    assert info.value.returncode == code
    return info.value


def test_backup_restore_round_trip_with_uploaded_files(tmp_path, users, capsys, settings):
    heping = Organisation.objects.get(level=Level.DISTRICT, name="和平区")
    organisation_create(name="备份前的园区", level=Level.PARK, parent=heping, code="BK-1")
    default_storage.save("imports/名单.xlsx", ContentFile(b"before"))
    before = _snapshot()
    target = tmp_path / "wenzhi.tar.gz"
    call_command("backup", str(target))
    with tarfile.open(target) as archive:
        names = archive.getnames()
    assert "wenzhi-backup.json" in names and "media/imports/名单.xlsx" in names

    # Change and lose data after the backup ...
    organisation_create(name="备份后新增的园区", level=Level.PARK, parent=heping, code="BK-2")
    User.objects.filter(username="u_public").update(roles=["city_admin"])
    default_storage.delete("imports/名单.xlsx")
    default_storage.save("imports/later.csv", ContentFile(b"later"))
    assert _snapshot() != before

    call_command("restore", str(target), yes=True)
    connection.close()
    assert _snapshot() == before
    assert not Organisation.objects.filter(code="BK-2").exists()
    assert User.objects.get(username="u_public").roles == ["public"]
    assert default_storage.open("imports/名单.xlsx").read() == b"before"
    assert not default_storage.exists("imports/later.csv")

    # ... and what the restore replaced is in the safety copy it names.
    out = capsys.readouterr().out
    safety = Path(out.split("恢复前的数据已另存为 ", 1)[1].split()[0])
    assert safety.parent == Path(settings.WENZHI_BACKUP_DIR) and safety.is_file()
    call_command("restore", str(safety), yes=True, no_safety_copy=True)
    connection.close()
    assert Organisation.objects.filter(code="BK-2").exists()
    assert default_storage.exists("imports/later.csv")


def test_restore_refuses_a_missing_junk_or_truncated_file(tmp_path, users, settings):
    before = _snapshot()
    _fails(backup_module.EXIT_NOT_FOUND, "不存在", "restore", str(tmp_path / "nope.tar.gz"), yes=True)
    junk = tmp_path / "junk.bak"
    junk.write_bytes(b"not a database at all")
    _fails(backup_module.EXIT_NOT_A_BACKUP, "不是文智备份文件", "restore", str(junk), yes=True)
    good = tmp_path / "good.tar.gz"
    call_command("backup", str(good))
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    _fails(backup_module.EXIT_DAMAGED, "不完整或已损坏", "restore", str(cut), yes=True)
    other = tmp_path / "other.tar.gz"  # a tar.gz that is not a Wenzhi backup
    with tarfile.open(other, "w:gz") as archive:
        info = tarfile.TarInfo("readme.txt")
        archive.addfile(info, io.BytesIO(b""))
    _fails(backup_module.EXIT_NOT_A_BACKUP, "缺少 wenzhi-backup.json", "restore", str(other), yes=True)
    assert _snapshot() == before
    assert not list(Path(settings.WENZHI_BACKUP_DIR).glob("before-restore-*"))  # refused before any copy


def _backup_with_database(tmp_path, make_db) -> Path:
    """A backup archive whose SQLite database ``make_db(path)`` wrote."""
    folder = tmp_path / "fake"
    folder.mkdir()
    make_db(folder / "database.sqlite3")
    (folder / "wenzhi-backup.json").write_text('{"format": 1, "engine": "sqlite", "database": "database.sqlite3",'
                                               ' "media": false}')
    target = tmp_path / "fake.tar.gz"
    with tarfile.open(target, "w:gz") as archive:
        for name in ("wenzhi-backup.json", "database.sqlite3"):
            archive.add(folder / name, arcname=name)
    return target


@pytest.mark.skipif("os.environ.get('WENZHI_TEST_DATABASE_URL', '').startswith('postgres')")
def test_restore_refuses_a_database_that_is_not_wenzhis(tmp_path, users):
    def foreign(path):
        con = sqlite3.connect(path)
        con.execute("CREATE TABLE notes (id integer primary key, text text)")
        con.commit()
        con.close()

    before = _snapshot()
    _fails(backup_module.EXIT_NOT_A_BACKUP, "不是文智数据库", "restore", str(_backup_with_database(tmp_path, foreign)),
           yes=True)
    bare = tmp_path / "bare.sqlite3"  # an old-style bare SQLite backup of something else
    foreign(bare)
    _fails(backup_module.EXIT_NOT_A_BACKUP, "不是文智数据库", "restore", str(bare), yes=True)
    assert _snapshot() == before


@pytest.mark.skipif("os.environ.get('WENZHI_TEST_DATABASE_URL', '').startswith('postgres')")
def test_restore_refuses_a_backup_from_a_newer_wenzhi(tmp_path, users):
    good = tmp_path / "good.tar.gz"
    call_command("backup", str(good))
    with tarfile.open(good) as archive:
        database = archive.extractfile("database.sqlite3").read()

    def newer(path):
        path.write_bytes(database)
        con = sqlite3.connect(path)
        con.execute("INSERT INTO django_migrations (app, name, applied) VALUES ('core', '0099_from_the_future', "
                    "'2030-01-01')")
        con.commit()
        con.close()

    _fails(backup_module.EXIT_TOO_NEW, "core.0099_from_the_future", "restore",
           str(_backup_with_database(tmp_path, newer)), yes=True)


@pytest.mark.skipif("os.environ.get('WENZHI_TEST_DATABASE_URL', '').startswith('postgres')")
def test_an_old_bare_sqlite_backup_still_restores(tmp_path, users):
    good = tmp_path / "good.tar.gz"
    call_command("backup", str(good))
    bare = tmp_path / "old.bak"
    with tarfile.open(good) as archive:
        bare.write_bytes(archive.extractfile("database.sqlite3").read())
    User.objects.filter(username="u_public").update(roles=["city_admin"])
    call_command("restore", str(bare), yes=True)
    connection.close()
    assert User.objects.get(username="u_public").roles == ["public"]


def test_backup_to_an_unwritable_place_says_so(tmp_path, users):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    _fails(backup_module.EXIT_UNWRITABLE, "无法写入备份文件", "backup", str(blocker / "wenzhi.tar.gz"))
    _fails(backup_module.EXIT_UNWRITABLE, "是一个目录", "backup", str(tmp_path))


def _cli(*args):
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3]),
           "DJANGO_SETTINGS_MODULE": "wenzhi.config.settings.test"}
    return subprocess.run([sys.executable, "-m", "wenzhi.config.cli", *args], env=env, capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, timeout=120)


def test_restore_without_yes_and_without_a_terminal_says_so(tmp_path):
    result = _cli("restore", str(tmp_path / "any.tar.gz"))
    assert result.returncode == backup_module.EXIT_NOT_CONFIRMED
    assert "--yes" in result.stderr and "Traceback" not in result.stderr and "EOFError" not in result.stderr


def test_command_line_errors_are_messages_with_exit_codes(tmp_path):
    truncated = tmp_path / "cut.tar.gz"
    truncated.write_bytes(gzip.compress(b"x" * 5000)[:40])
    result = _cli("restore", str(truncated), "--yes")
    assert result.returncode == backup_module.EXIT_DAMAGED
    assert "不完整或已损坏" in result.stderr and "Traceback" not in result.stderr
