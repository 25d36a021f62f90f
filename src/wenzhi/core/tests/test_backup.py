"""`wenzhi backup` / `wenzhi restore` round trip: every row comes back, nothing more."""

import pytest
from django.core.management import call_command
from django.db import connection

from wenzhi.core.choices import Level
from wenzhi.core.models import Organisation, User
from wenzhi.core.services import organisation_create

pytestmark = pytest.mark.django_db(transaction=True)


def _snapshot():
    return (sorted(Organisation.objects.values_list("id", "name", "level", "code", "parent_id")),
            sorted(User.objects.values_list("id", "username", "password", "roles")))


def test_backup_restore_round_trip(tmp_path, users):
    if connection.vendor == "postgresql":
        import shutil

        if not shutil.which("pg_dump"):
            pytest.skip("pg_dump is not installed on this machine")
    heping = Organisation.objects.get(level=Level.DISTRICT, name="和平区")
    organisation_create(name="备份前的园区", level=Level.PARK, parent=heping, code="BK-1")
    before = _snapshot()
    target = tmp_path / "wenzhi.bak"
    call_command("backup", str(target))
    assert target.stat().st_size > 0

    # Change and lose data after the backup ...
    organisation_create(name="备份后新增的园区", level=Level.PARK, parent=heping, code="BK-2")
    User.objects.filter(username="u_public").update(roles=["city_admin"])
    assert _snapshot() != before

    call_command("restore", str(target), yes=True)
    connection.close()
    assert _snapshot() == before
    assert not Organisation.objects.filter(code="BK-2").exists()
    assert User.objects.get(username="u_public").roles == ["public"]


def test_restore_rejects_missing_or_foreign_file(tmp_path, db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="不存在"):
        call_command("restore", str(tmp_path / "nope.bak"), yes=True)
    if connection.vendor == "sqlite":
        junk = tmp_path / "junk.bak"
        junk.write_bytes(b"not a database at all")
        with pytest.raises(CommandError, match="不是 SQLite"):
            call_command("restore", str(junk), yes=True)
