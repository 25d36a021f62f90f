"""Enterprise import at scale: a 100,000-row .xlsx with 3 % bad rows, against openpyxl's own read time.

    .venv/bin/python bench/import_registry.py [--rows 100000] [--bad 0.03]

Uses a scratch SQLite database (``DATABASE_URL``, default ``sqlite:////tmp/wenzhi-bench-import.sqlite3``,
recreated and migrated by this script) and prints:

- openpyxl read-only full read of the file (the yardstick);
- the import's dry run (reads the file once, checks every row, caches the raw rows) and its commit with
  ``--skip-invalid`` semantics (replays the cache, checks again against the registry, writes the valid rows
  with their history in one transaction), separately and together, and the ratio to the yardstick;
- peak memory (max RSS of the process that ran the read and the import; the file is generated in a child
  process so its generation does not count).

The target from the registry issue: import ≤ 3× the openpyxl read, peak memory < 500 MB.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

HEADERS = ["企业名称", "统一社会信用代码", "所属区", "注册地址", "行业代码", "经营范围", "成立日期", "从业人员",
           "营业收入（万元）", "所有制", "规模以上"]
DISTRICTS = ["和平区", "河东区", "河西区", "南开区", "河北区", "红桥区", "东丽区", "西青区", "津南区", "北辰区",
             "武清区", "宝坻区", "滨海新区", "宁河区", "静海区", "蓟州区", "和平", "滨海", "120104"]
CODES = ["8710", "8720", "8730", "8610", "6572", "7251", "7491", "8770", "8625", "6422", "8810", "7284", "2431"]
# Business scopes are drawn as 2–5 of these phrases, so nearly every row has its own text (as in real registers);
# about one phrase in six carries an intelligent-industry keyword.
SCOPE_PHRASES = ["广播电视节目制作", "影视策划", "数字内容服务", "动漫设计", "游戏软件开发", "网络文化经营",
                 "文化艺术交流活动策划", "会议及展览服务", "图书、报刊零售", "出版物批发", "工艺美术品设计与销售",
                 "艺术品经纪", "人工智能应用软件开发", "虚拟现实技术服务", "数据处理", "旅游景区管理",
                 "文化旅游项目开发", "广告设计、制作、代理、发布", "组织文化艺术交流活动", "礼仪服务",
                 "摄影扩印服务", "票务代理", "演出经纪", "舞台灯光音响设备租赁", "品牌策划", "企业形象策划",
                 "文具用品零售", "技术开发、技术咨询、技术服务", "计算机系统服务", "日用百货销售", "办公用品销售",
                 "包装装潢设计", "服装设计", "室内装饰设计", "会务服务", "翻译服务"]
WORDS = "文智华艺星海津门渤海融创弘远明德博雅新程云帆锦程嘉禾瑞丰鼎盛天元翰墨青松和悦"
FORMS = ["文化传媒有限公司", "影视文化有限公司", "动漫科技有限公司", "文化发展有限公司", "数字科技有限公司",
         "文化艺术有限公司", "会展服务有限公司", "出版发行有限公司"]


def _uscc(rng: random.Random, alphabet: str, check) -> str:
    body = "9112" + rng.choice(["0101", "0102", "0103", "0104", "0116"]) + "".join(
        rng.choice(alphabet) for _ in range(9))
    body = body[:17]
    return body + check(body)


def generate(path: str, rows: int, bad: float, seed: int = 7) -> dict:
    """Write the benchmark workbook with openpyxl's write-only mode; returns counts of each kind of bad row."""
    from openpyxl import Workbook

    from wenzhi.registry.constants import USCC_ALPHABET
    from wenzhi.registry.validators import uscc_check_char

    rng = random.Random(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("文化企业")
    ws.append(HEADERS)
    kinds: dict[str, int] = {}
    seen = []
    for i in range(rows):
        name = f"天津{rng.choice(WORDS)}{rng.choice(WORDS)}{i:06d}{rng.choice(FORMS)}"
        code = _uscc(rng, USCC_ALPHABET, uscc_check_char)
        row = [name, code, rng.choice(DISTRICTS), f"天津市某区某路{rng.randint(1, 999)}号", rng.choice(CODES),
               "；".join(rng.sample(SCOPE_PHRASES, rng.randint(2, 5))), f"{rng.randint(1995, 2023)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
               rng.randint(3, 3000), round(rng.uniform(10, 500000), 2), rng.choice(["民营", "国有", "外资"]),
               rng.choice(["是", "否"])]
        if rng.random() < bad:
            kind = rng.choice(["check_digit", "district", "date", "number", "missing_name", "duplicate"])
            kinds[kind] = kinds.get(kind, 0) + 1
            if kind == "check_digit":
                row[1] = code[:17] + ("0" if code[17] != "0" else "1")
            elif kind == "district":
                row[2] = "朝阳区"
            elif kind == "date":
                row[6] = "2019-02-30"
            elif kind == "number":
                row[8] = "约100万"
            elif kind == "missing_name":
                row[0] = ""
            elif kind == "duplicate" and seen:
                row = list(rng.choice(seen))
        elif len(seen) < 1000:
            seen.append(row)
        ws.append(row)
    wb.save(path)
    return kinds


def _generate_child(path: str, rows: int, bad: float, queue) -> None:
    queue.put(generate(path, rows, bad))


class Clock:
    """Wall time and this process's CPU time of a block; on a shared machine the CPU time is the steadier."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu

    def __str__(self) -> str:
        return f"{self.wall:.2f} s wall, {self.cpu:.2f} s CPU"


def openpyxl_read(path: str) -> tuple[Clock, int]:
    from openpyxl import load_workbook

    with Clock() as clock:
        wb = load_workbook(path, read_only=True, data_only=True)
        n = 0
        for _ in wb.worksheets[0].iter_rows(values_only=True):
            n += 1
        wb.close()
    return clock, n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--bad", type=float, default=0.03)
    parser.add_argument("--file", default="/tmp/wenzhi-bench-import.xlsx")  # noqa: S108 - a scratch file
    args = parser.parse_args()

    os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/wenzhi-bench-import.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenzhi.config.settings.local")
    os.environ.setdefault("WENZHI_VAR_DIR", "/tmp/wenzhi-bench-var")  # noqa: S108 - scratch uploads
    db = os.environ["DATABASE_URL"]
    if db.startswith("sqlite:///"):
        for suffix in ("", "-wal", "-shm"):
            Path(db.removeprefix("sqlite://") + suffix).unlink(missing_ok=True)

    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    t = time.perf_counter()
    child = ctx.Process(target=_generate_child, args=(args.file, args.rows, args.bad, queue))
    child.start()
    kinds = queue.get()
    child.join()
    size = Path(args.file).stat().st_size
    print(f"generated {args.rows} rows ({sum(kinds.values())} bad: {kinds}) in {time.perf_counter() - t:.1f} s, "
          f"{size / 1e6:.1f} MB -> {args.file}")

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from wenzhi.core.choices import Role
    from wenzhi.core.services import user_create
    from wenzhi.registry.importing.services import import_record_create, registry_import
    from wenzhi.registry.models import Enterprise, EnterpriseYearFigure

    actor = user_create(username="bench-admin", password=None, roles=[Role.CITY_ADMIN], organisation=None)

    from django.db import connection

    def clear_registry() -> None:
        with connection.cursor() as cur:
            for model in (EnterpriseYearFigure.history.model, EnterpriseYearFigure, Enterprise.history.model,
                          Enterprise):
                cur.execute(f"DELETE FROM {model._meta.db_table}")

    def new_record(dry_run: bool):
        with open(args.file, "rb") as fh:
            return import_record_create(actor=actor, kind="enterprise", uploaded=fh, filename=Path(args.file).name,
                                        dry_run=dry_run, skip_invalid=True)

    def counts() -> str:
        return (f"enterprises {Enterprise.objects.count()}, enterprise history rows {Enterprise.history.count()}, "
                f"year figures {EnterpriseYearFigure.objects.count()} "
                f"(history {EnterpriseYearFigure.history.count()})")

    reads = []
    read, n = openpyxl_read(args.file)
    reads.append(read)
    print(f"openpyxl read-only full read: {read} ({n} rows incl. header)")

    # 1. One pass, as `wenzhi import_registry FILE --kind enterprise --skip-invalid` runs it: every row is
    #    checked (the dry run's report) and the valid rows are committed from the same parse.
    record = new_record(dry_run=False)
    with Clock() as one_clock:
        one = registry_import(actor=actor, record=record)
    print(f"import, check + commit in one pass: {one_clock} — {one.valid_rows} valid, {one.invalid_rows} invalid "
          f"rows ({one.error_count} problems), created {one.created}; {counts()}")

    read, _ = openpyxl_read(args.file)
    reads.append(read)
    print(f"openpyxl read-only full read (again): {read}")
    clear_registry()

    # 2. The two steps of the web page: a dry run (reads the file, caches its raw rows), then the commit
    #    the official chooses (replays the cache, checks again against the registry, writes).
    record = new_record(dry_run=True)
    with Clock() as dry_clock:
        dry = registry_import(actor=actor, record=record)
    print(f"import dry run: {dry_clock} — would create {dry.to_create}, update {dry.to_update}; "
          f"{dry.invalid_rows} invalid rows")
    record.refresh_from_db()
    with Clock() as commit_clock:
        done = registry_import(actor=actor, record=record, commit=True)
    print(f"import commit after the dry run: {commit_clock} — created {done.created}; {counts()}")
    read, _ = openpyxl_read(args.file)
    reads.append(read)
    print(f"openpyxl read-only full read (again): {read}")

    wall = sum(r.wall for r in reads) / len(reads)
    cpu = sum(r.cpu for r in reads) / len(reads)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nyardstick: openpyxl read-only full read, mean of {len(reads)}: {wall:.2f} s wall, {cpu:.2f} s CPU")
    for label, w, c in (("import, dry-run checks + commit in one pass", one_clock.wall, one_clock.cpu),
                        ("import as two steps, dry run then commit", dry_clock.wall + commit_clock.wall,
                         dry_clock.cpu + commit_clock.cpu)):
        print(f"{label}: {w:.2f} s wall = {w / wall:.2f} x; {c:.2f} s CPU = {c / cpu:.2f} x the read "
              f"(target <= 3.00 x): {'OK' if c <= 3 * cpu else 'OVER'}")
    print(f"peak memory (max RSS of this process): {peak_mb:.0f} MB (target < 500 MB): "
          f"{'OK' if peak_mb < 500 else 'OVER'}")

if __name__ == "__main__":
    main()
