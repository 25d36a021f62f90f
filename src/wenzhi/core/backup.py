"""Backups of a whole Wenzhi instance (database and uploaded files) in one archive, and their careful restore.

A backup is one ``.tar.gz`` holding ``wenzhi-backup.json`` (what it is), the database (SQLite's online backup, a
consistent snapshot while the platform runs, or ``pg_dump -Fc``) and ``media/`` (the uploaded files). A restore
checks that the archive is whole and holds a Wenzhi database this code can run (``django_migrations`` and
core's tables present, no migration newer than the code), keeps a safety copy of the current instance, and only
then replaces the database and the uploaded files. Older backups (a bare SQLite file or ``pg_dump`` file) still
restore, without uploaded files.

Every failure is a :class:`BackupError` with a Chinese message and an exit code (the README lists them).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext

FORMAT = 1
MANIFEST = "wenzhi-backup.json"
SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
# Tables every Wenzhi database has, whatever modules it runs.
REQUIRED_TABLES = ("django_migrations", "core_organisation", "core_user")

# Exit codes of `wenzhi backup` and `wenzhi restore` (README, "Backup and restore").
EXIT_FAILED = 1  # the database tool failed (pg_dump, pg_restore, SQLite)
EXIT_NOT_FOUND = 3  # the backup file does not exist or cannot be read
EXIT_NOT_A_BACKUP = 4  # not a Wenzhi backup, or its database is not a Wenzhi database
EXIT_DAMAGED = 5  # a truncated or damaged archive
EXIT_TOO_NEW = 6  # made by a newer Wenzhi (migrations this code does not have)
EXIT_UNWRITABLE = 7  # the target file, the database or the uploaded-files folder cannot be written
EXIT_NOT_CONFIRMED = 8  # restore without --yes and nobody at a terminal to confirm, or the answer was no
EXIT_NO_TOOL = 9  # pg_dump / pg_restore missing


class BackupError(Exception):
    """A backup or restore that could not be done; ``code`` is the command's exit code."""

    def __init__(self, message: str, code: int = EXIT_FAILED):
        super().__init__(message)
        self.code = code


@dataclass
class RestoreResult:
    """What a restore did: where the safety copy is, whether files came back, what to run next."""

    safety_copy: Path | None
    media_restored: bool
    migrations_behind: list[str]


def _engine(alias: str) -> str:
    engine = connections[alias].settings_dict["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupError(gettext("不支持的数据库引擎：%(engine)s") % {"engine": engine})


def _pg_env(db: dict) -> tuple[list[str], dict]:
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = ["-h", str(db.get("HOST") or "127.0.0.1"), "-p", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    return args, env


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(gettext("未找到 %(name)s：请安装 PostgreSQL 客户端工具（Debian：apt-get install postgresql-client）。")
                          % {"name": name},
                          EXIT_NO_TOOL)
    return path


def _media_root() -> Path | None:
    """The uploaded-files folder when files are kept on local disk; None for another storage backend."""
    from django.core.files.storage import FileSystemStorage, default_storage

    if isinstance(default_storage, FileSystemStorage):
        return Path(default_storage.location)
    return None


def _dump_database(folder: Path, alias: str) -> str:
    """Write the database into ``folder``; returns the file's name inside the archive."""
    db = connections[alias].settings_dict
    if _engine(alias) == "sqlite":
        name = "database.sqlite3"
        src = sqlite3.connect(str(db["NAME"]))
        dst = sqlite3.connect(str(folder / name))
        try:
            src.backup(dst)  # online backup: a consistent snapshot even under concurrent writes
        except sqlite3.Error as exc:
            raise BackupError(gettext("读取数据库失败：%(error)s") % {"error": exc}) from exc
        finally:
            dst.close()
            src.close()
        return name
    name = "database.pgdump"
    args, env = _pg_env(db)
    result = subprocess.run([_pg_tool("pg_dump"), "-Fc", "--no-owner", *args, "-f", str(folder / name), db["NAME"]],
                            env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(gettext("pg_dump 失败：%(error)s") % {"error": result.stderr.strip()})
    return name


def _writable_folder(target: Path) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=target.parent):
            pass
    except OSError as exc:
        raise BackupError(gettext("无法写入备份文件 %(target)s：%(error)s（请换一个可写的目录）。")
                          % {"target": target, "error": exc.strerror or exc},
                          EXIT_UNWRITABLE) from exc
    if target.is_dir():
        raise BackupError(gettext("%(target)s 是一个目录：请给出备份文件的完整路径，例如 %(example)s。")
                          % {"target": target, "example": target / 'wenzhi.tar.gz'},
                          EXIT_UNWRITABLE)


def backup(target: Path, alias: str = "default") -> Path:
    """Write the database and the uploaded files to the archive ``target`` while the platform keeps running.

    The archive is written beside ``target`` under a temporary name and renamed when complete, so a failed or
    interrupted backup never leaves a half-written file under the name asked for."""
    target = Path(target)
    engine = _engine(alias)
    _writable_folder(target)
    media = _media_root()
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".wenzhi-backup-") as tmp:
        folder = Path(tmp)
        db_name = _dump_database(folder, alias)
        manifest = {"format": FORMAT, "engine": engine, "database": db_name,
                    "created": timezone.now().isoformat(), "media": bool(media and media.is_dir())}
        (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        partial = folder / "archive.tar.gz"
        try:
            with tarfile.open(partial, "w:gz") as archive:
                archive.add(folder / MANIFEST, arcname=MANIFEST)
                archive.add(folder / db_name, arcname=db_name)
                if media is not None and manifest["media"]:
                    archive.add(media, arcname="media")
            os.replace(partial, target)
        except OSError as exc:
            raise BackupError(gettext("写入备份文件 %(target)s 失败：%(error)s")
                              % {"target": target, "error": exc.strerror or exc}, EXIT_UNWRITABLE) from exc
    return target


# Restore -----------------------------------------------------------------------------------------------------


def _unpack(source: Path, folder: Path) -> dict:
    """Unpack ``source`` into ``folder``; returns its manifest (made up for an old bare-database backup)."""
    if not source.is_file():
        raise BackupError(gettext("备份文件不存在：%(source)s") % {"source": source}, EXIT_NOT_FOUND)
    try:
        with source.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise BackupError(gettext("无法读取备份文件 %(source)s：%(error)s")
                          % {"source": source, "error": exc.strerror or exc}, EXIT_NOT_FOUND) from exc
    if head.startswith(SQLITE_MAGIC) or head.startswith(PGDUMP_MAGIC):  # a backup of Wenzhi before archives
        engine, name = ("sqlite", "database.sqlite3") if head.startswith(SQLITE_MAGIC) else ("postgresql",
                                                                                             "database.pgdump")
        shutil.copyfile(source, folder / name)
        return {"format": 0, "engine": engine, "database": name, "media": False}
    if not head.startswith(b"\x1f\x8b"):
        raise BackupError(gettext("%(source)s 不是文智备份文件（应为 wenzhi backup 生成的 .tar.gz 归档）。")
                          % {"source": source}, EXIT_NOT_A_BACKUP)
    try:
        with tarfile.open(source, "r:gz") as archive:
            archive.extractall(folder, filter="data")
    except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
        raise BackupError(gettext("备份文件 %(source)s 不完整或已损坏（%(error)s）：请换一份备份。")
                          % {"source": source, "error": exc}, EXIT_DAMAGED) from exc
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(gettext("%(source)s 不是文智备份文件：缺少 %(manifest)s。")
                          % {"source": source, "manifest": MANIFEST}, EXIT_NOT_A_BACKUP) from exc
    if not (folder / str(manifest.get("database", ""))).is_file():
        raise BackupError(gettext("备份文件 %(source)s 不完整：缺少数据库文件。") % {"source": source}, EXIT_DAMAGED)
    return manifest


def _sqlite_contents(path: Path) -> tuple[set[str], list[tuple[str, str]]]:
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            rows = (con.execute("SELECT app, name FROM django_migrations").fetchall()
                    if "django_migrations" in tables else [])
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(gettext("备份中的数据库无法读取（%(error)s）：文件已损坏或不是 SQLite 数据库。")
                          % {"error": exc}, EXIT_DAMAGED) from exc
    return tables, rows


def _pg_contents(path: Path) -> tuple[set[str], list[tuple[str, str]]]:
    listing = subprocess.run([_pg_tool("pg_restore"), "-l", str(path)], capture_output=True, text=True)
    if listing.returncode != 0:
        raise BackupError(gettext("备份中的 PostgreSQL 转储无法读取：%(error)s")
                          % {"error": listing.stderr.strip()}, EXIT_DAMAGED)
    # Lines like "215; 1259 16390 TABLE public core_user postgres".
    tables = {m.group(1) for m in re.finditer(r"^\d+; \d+ \d+ TABLE \S+ (\S+)", listing.stdout, re.MULTILINE)}
    data = subprocess.run([_pg_tool("pg_restore"), "--data-only", "--table=django_migrations", "-f", "-", str(path)],
                          capture_output=True, text=True)
    rows, copying = [], False
    for line in data.stdout.splitlines():
        if line.startswith("COPY ") and "django_migrations" in line:
            copying = True
        elif copying and line == "\\.":
            copying = False
        elif copying:
            fields = line.split("\t")
            if len(fields) >= 3:
                rows.append((fields[1], fields[2]))
    return tables, rows


def _check_schema(folder: Path, manifest: dict, engine: str) -> list[str]:
    """Refuse a database that is not Wenzhi's or is newer than this code; returns the migrations it lacks."""
    from django.db.migrations.loader import MigrationLoader

    if manifest.get("engine") != engine:
        raise BackupError(gettext("这份备份来自 %(backup_engine)s 数据库，当前使用的是 %(engine)s：请在同类数据库上恢复。")
                          % {"backup_engine": manifest.get('engine'), "engine": engine},
                          EXIT_NOT_A_BACKUP)
    path = folder / manifest["database"]
    tables, applied = _sqlite_contents(path) if engine == "sqlite" else _pg_contents(path)
    missing = [t for t in REQUIRED_TABLES if t not in tables]
    if missing:
        raise BackupError(gettext("备份中的数据库不是文智数据库（缺少数据表 %(tables)s），未作任何改动。")
                          % {"tables": gettext("、").join(missing)},
                          EXIT_NOT_A_BACKUP)
    code = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    apps_here = {app for app, _name in code}
    newer = sorted(f"{app}.{name}" for app, name in applied if app in apps_here and (app, name) not in code)
    if newer:
        raise BackupError(gettext("这份备份来自更新版本的文智（本程序没有迁移 %(migrations)s）：请先升级文智再恢复，"
                                  "当前数据库未作任何改动。") % {"migrations": gettext("、").join(newer[:5])}, EXIT_TOO_NEW)
    return sorted(f"{app}.{name}" for app, name in code - set(applied))


def _replace_database(path: Path, engine: str, alias: str) -> None:
    connection = connections[alias]
    db = connection.settings_dict
    connection.close()
    if engine == "sqlite":
        src = sqlite3.connect(str(path))
        try:
            dst = sqlite3.connect(str(db["NAME"]))
        except sqlite3.Error as exc:
            src.close()
            raise BackupError(gettext("无法打开当前数据库 %(database)s：%(error)s")
                              % {"database": db['NAME'], "error": exc}, EXIT_UNWRITABLE) from exc
        try:
            src.backup(dst)
        except sqlite3.Error as exc:
            raise BackupError(gettext("写入数据库 %(database)s 失败：%(error)s")
                              % {"database": db['NAME'], "error": exc}, EXIT_UNWRITABLE) from exc
        finally:
            dst.close()
            src.close()
        return
    args, env = _pg_env(db)
    result = subprocess.run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
                             *args, "-d", db["NAME"], str(path)], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(gettext("pg_restore 失败（当前数据库保持原样）：%(error)s") % {"error": result.stderr.strip()})


def _replace_media(folder: Path) -> bool:
    media, root = folder / "media", _media_root()
    if root is None or not media.is_dir():
        return False
    try:
        root.mkdir(parents=True, exist_ok=True)
        for child in root.iterdir():
            shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
        shutil.copytree(media, root, dirs_exist_ok=True)
    except OSError as exc:
        raise BackupError(gettext("恢复上传文件到 %(root)s 失败：%(error)s（数据库已恢复，上传文件可从安全副本取回）。")
                          % {"root": root, "error": exc.strerror or exc},
                          EXIT_UNWRITABLE) from exc
    return True


def safety_dir() -> Path:
    return Path(getattr(settings, "WENZHI_BACKUP_DIR", settings.VAR_DIR / "backups"))


def restore(source: Path, alias: str = "default", *, safety_copy: bool = True) -> RestoreResult:
    """Replace the database and the uploaded files with those in the backup ``source``.

    Nothing changes unless the archive is whole and holds a Wenzhi database no newer than this code; the
    current instance is first backed up to ``safety_dir()`` (``RestoreResult.safety_copy`` says where)."""
    source = Path(source)
    engine = _engine(alias)
    with tempfile.TemporaryDirectory(prefix="wenzhi-restore-") as tmp:
        folder = Path(tmp)
        manifest = _unpack(source, folder)
        behind = _check_schema(folder, manifest, engine)
        copy = None
        if safety_copy:
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            copy = backup(safety_dir() / f"before-restore-{stamp}.tar.gz", alias)
        _replace_database(folder / manifest["database"], engine, alias)
        restored = _replace_media(folder) if manifest.get("media") else False
    return RestoreResult(safety_copy=copy, media_restored=restored, migrations_behind=behind)
