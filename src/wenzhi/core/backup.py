"""Consistent copies of the database: SQLite's online backup API, ``pg_dump``/``pg_restore`` for PostgreSQL."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections


class BackupError(Exception):
    pass


def _pg_env(db: dict) -> tuple[list[str], dict]:
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = ["-h", str(db.get("HOST") or "127.0.0.1"), "-p", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    return args, env


def backup(target: Path, alias: str = "default") -> Path:
    """Write a consistent copy of the database to ``target`` while the platform keeps running."""
    db = connections[alias].settings_dict
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    engine = db["ENGINE"]
    if engine.endswith("sqlite3"):
        src = sqlite3.connect(str(db["NAME"]))
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)  # online backup: a consistent snapshot even under concurrent writes
        finally:
            dst.close()
            src.close()
        return target
    if "postgresql" in engine:
        if not shutil.which("pg_dump"):
            raise BackupError("未找到 pg_dump：请安装 PostgreSQL 客户端工具。")
        args, env = _pg_env(db)
        result = subprocess.run(["pg_dump", "-Fc", "--no-owner", *args, "-f", str(target), db["NAME"]],
                                env=env, capture_output=True, text=True)
        if result.returncode != 0:
            raise BackupError(f"pg_dump 失败：{result.stderr.strip()}")
        return target
    raise BackupError(f"不支持的数据库引擎：{engine}")


def restore(source: Path, alias: str = "default") -> None:
    """Replace the database's contents with the copy in ``source``."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"备份文件不存在：{source}")
    connection = connections[alias]
    db = connection.settings_dict
    engine = db["ENGINE"]
    connection.close()
    if engine.endswith("sqlite3"):
        with source.open("rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                raise BackupError(f"{source} 不是 SQLite 备份文件。")
        src = sqlite3.connect(str(source))
        dst = sqlite3.connect(str(db["NAME"]))
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        return
    if "postgresql" in engine:
        if not shutil.which("pg_restore"):
            raise BackupError("未找到 pg_restore：请安装 PostgreSQL 客户端工具。")
        args, env = _pg_env(db)
        result = subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                                 *args, "-d", db["NAME"], str(source)], env=env, capture_output=True, text=True)
        if result.returncode != 0:
            raise BackupError(f"pg_restore 失败：{result.stderr.strip()}")
        return
    raise BackupError(f"不支持的数据库引擎：{engine}")
