"""Enterprise import at scale, as an official does it: a dry run, then the commit of the valid rows, against
openpyxl's bare read of the same workbook, in the same run, on two 100,000-row workbooks with 3 % bad rows:
an 11-column one and a wide one (every column an enterprise import understands but the park).

    PYTHONPATH=src .venv/bin/python bench/import_registry.py [--rows 100000] [--bad 0.03]
        [--only narrow|wide]

Uses a scratch SQLite database (``DATABASE_URL``, default ``sqlite:////tmp/wenzhi-bench-import.sqlite3``,
recreated and migrated by this script) and prints, for each workbook:

- openpyxl read-only full read of the file (the yardstick; measured before and after, the mean is used);
- the dry run (``registry_import`` on a dry-run record: reads the file, checks every row, stores the checked
  rows) and the commit (``import_commit_prepare`` + ``registry_import``, as the task worker runs it after the
  official presses 导入: writes the stored rows with their history in one transaction, no re-reading);
- the ratio of dry run + commit to the yardstick (target ≤ 3×), wall and CPU time;
- peak memory (max RSS of this process so far; the files are generated in a child process).
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
# Run as a script, this folder comes first on the path, where bench/statistics.py would shadow the standard
# library's module (which Django's SQLite backend imports).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
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


WIDE_EXTRA = ["企业类型", "产业门类", "年度", "增加值（万元）", "国有文化企业集团", "上市企业", "新三板", "专精特新",
              "科技小巨人", "领军企业", "智能文化创意企业", "文化出口重点企业", "曾用名"]
LEGAL_FORMS = ["有限责任公司", "股份有限公司", "个人独资企业", "合伙企业"]
SECTORS = ["创意设计", "动漫", "影视", "出版", "演艺", "会展", "旅游", "艺术品"]


def _wide_cells(rng: random.Random, i: int) -> list:
    return [rng.choice(LEGAL_FORMS), rng.choice(SECTORS), rng.choice([2021, 2022, 2023]),
            round(rng.uniform(-100, 50000), 2), *(rng.choice(["是", "否", ""]) for _ in range(8)),
            f"天津旧名{i:06d}有限公司" if rng.random() < 0.1 else ""]


def generate(path: str, rows: int, bad: float, seed: int = 7, wide: bool = False) -> dict:
    """Write the benchmark workbook with openpyxl's write-only mode; returns counts of each kind of bad row."""
    from openpyxl import Workbook

    from wenzhi.registry.constants import USCC_ALPHABET
    from wenzhi.registry.validators import uscc_check_char

    rng = random.Random(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("文化企业")
    ws.append(HEADERS + (WIDE_EXTRA if wide else []))
    kinds: dict[str, int] = {}
    seen = []
    for i in range(rows):
        name = f"天津{rng.choice(WORDS)}{rng.choice(WORDS)}{i:06d}{rng.choice(FORMS)}"
        code = _uscc(rng, USCC_ALPHABET, uscc_check_char)
        row = [name, code, rng.choice(DISTRICTS), f"天津市某区某路{rng.randint(1, 999)}号", rng.choice(CODES),
               "；".join(rng.sample(SCOPE_PHRASES, rng.randint(2, 5))), f"{rng.randint(1995, 2023)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
               rng.randint(3, 3000), round(rng.uniform(10, 500000), 2), rng.choice(["民营", "国有", "外资"]),
               rng.choice(["是", "否"])]
        if wide:
            row += _wide_cells(rng, i)
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


def _generate_child(path: str, rows: int, bad: float, wide: bool, queue) -> None:
    queue.put(generate(path, rows, bad, wide=wide))


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


def make_workbook(path: str, rows: int, bad: float, wide: bool) -> None:
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    t = time.perf_counter()
    child = ctx.Process(target=_generate_child, args=(path, rows, bad, wide, queue))
    child.start()
    child.join()
    if child.exitcode != 0:
        raise SystemExit(f"generating {path} failed (exit status {child.exitcode})")
    kinds = queue.get()
    size = Path(path).stat().st_size
    print(f"generated {rows} rows x {len(HEADERS) + (len(WIDE_EXTRA) if wide else 0)} columns "
          f"({sum(kinds.values())} bad: {kinds}) in {time.perf_counter() - t:.1f} s, {size / 1e6:.1f} MB -> {path}")


def bench_workbook(path: str, actor) -> tuple[float, float]:
    """Yardstick, dry run and commit of one workbook; returns (wall ratio, CPU ratio)."""
    from wenzhi.registry.importing.services import (
        import_commit_prepare,
        import_record_create,
        registry_import,
    )

    reads = [openpyxl_read(path)[0]]
    print(f"  openpyxl read-only full read: {reads[0]}")
    with open(path, "rb") as fh:
        record = import_record_create(actor=actor, kind="enterprise", uploaded=fh, filename=Path(path).name,
                                      dry_run=True)
    with Clock() as dry_clock:
        dry = registry_import(actor=actor, record=record)
    print(f"  dry run: {dry_clock} — would create {dry.to_create}, update {dry.to_update}; "
          f"{dry.invalid_rows} invalid rows ({dry.error_count} problems)")
    record.refresh_from_db()
    with Clock() as commit_clock:
        record = import_commit_prepare(actor=actor, record=record, skip_invalid=True)
        done = registry_import(actor=actor, record=record)
    print(f"  commit of the valid rows: {commit_clock} — created {done.created}, updated {done.updated}; {counts()}")
    reads.append(openpyxl_read(path)[0])
    print(f"  openpyxl read-only full read (again): {reads[1]}")
    wall = sum(r.wall for r in reads) / len(reads)
    cpu = sum(r.cpu for r in reads) / len(reads)
    w, c = dry_clock.wall + commit_clock.wall, dry_clock.cpu + commit_clock.cpu
    print(f"  yardstick (mean of 2 reads): {wall:.2f} s wall, {cpu:.2f} s CPU")
    print(f"  dry run + commit: {w:.2f} s wall = {w / wall:.2f} x; {c:.2f} s CPU = {c / cpu:.2f} x the read "
          f"(target <= 3.00 x): {'OK' if max(w / wall, c / cpu) <= 3 else 'OVER'}")
    print(f"  peak memory so far (max RSS of this process): "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return w / wall, c / cpu


def counts() -> str:
    from wenzhi.registry.models import Enterprise, EnterpriseYearFigure

    return (f"enterprises {Enterprise.objects.count()}, enterprise history rows {Enterprise.history.count()}, "
            f"year figures {EnterpriseYearFigure.objects.count()} (history {EnterpriseYearFigure.history.count()})")


def clear_registry() -> None:
    from django.db import connection

    from wenzhi.core.choices import Level
    from wenzhi.core.models import Organisation
    from wenzhi.registry.models import Enterprise, EnterpriseYearFigure

    with connection.cursor() as cur:
        for model in (EnterpriseYearFigure.history.model, EnterpriseYearFigure, Enterprise.history.model, Enterprise):
            cur.execute(f"DELETE FROM {model._meta.db_table}")  # noqa: S608 - table names from the models
    Organisation.objects.filter(level=Level.ENTERPRISE).delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--bad", type=float, default=0.03)
    parser.add_argument("--only", choices=["narrow", "wide"])
    parser.add_argument("--dir", default="/tmp")  # noqa: S108 - scratch files
    parser.add_argument("--reuse", action="store_true", help="use workbooks a previous run left in --dir")
    args = parser.parse_args()

    os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/wenzhi-bench-import.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenzhi.config.settings.local")
    os.environ.setdefault("WENZHI_VAR_DIR", "/tmp/wenzhi-bench-var")  # noqa: S108 - scratch uploads
    db = os.environ["DATABASE_URL"]
    if db.startswith("sqlite:///"):
        for suffix in ("", "-wal", "-shm"):
            Path(db.removeprefix("sqlite://") + suffix).unlink(missing_ok=True)
    Path(args.dir).mkdir(parents=True, exist_ok=True)
    books = [(kind, f"{args.dir}/wenzhi-bench-import-{kind}.xlsx") for kind in ("narrow", "wide")
             if args.only in (None, kind)]
    for kind, path in books:
        if args.reuse and Path(path).exists():
            print(f"reusing {path}")
        else:
            make_workbook(path, args.rows, args.bad, wide=kind == "wide")

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from wenzhi.core.choices import Role
    from wenzhi.core.services import user_create

    actor = user_create(username="bench-admin", password=None, roles=[Role.CITY_ADMIN], organisation=None)
    results = {}
    for kind, path in books:
        print(f"\n{kind} workbook ({path}):")
        results[kind] = bench_workbook(path, actor)
        clear_registry()
    print("\nsummary: " + "; ".join(f"{k}: {w:.2f} x wall, {c:.2f} x CPU" for k, (w, c) in results.items())
          + f"; peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
