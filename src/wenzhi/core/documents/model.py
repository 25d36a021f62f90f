"""What an official document (公文) is made of, independent of the file format it is written to.

The fields follow the elements of GB/T 9704-2012 《党政机关公文格式》: 版头 (份号, 密级, 紧急程度, 发文机关标志,
发文字号), 主体 (标题, 主送机关, 正文, 附件说明, 发文机关署名, 成文日期) and 版记 (抄送机关, 印发机关和印发日期).
The renderers in ``docx.py``, ``html.py`` and ``pdf.py`` lay these out; nothing here knows about a format.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Literal

CHINESE_DIGITS = "〇一二三四五六七八九"


class DocumentError(ValueError):
    """A document that cannot be written as given (a missing element, an image the format cannot hold)."""


@dataclass(frozen=True)
class Heading:
    """A structural heading in the body: level 1 is numbered 一、二、… (黑体), level 2 （一）（二）… (楷体).

    ``text`` is the heading without its number; the renderers number headings in order, restarting level 2
    under each level 1. Pass ``numbered=False`` for a heading that carries its own wording.
    """

    text: str
    level: Literal[1, 2] = 1
    numbered: bool = True


@dataclass(frozen=True)
class Paragraph:
    """One body paragraph (3号仿宋, first line indented two characters)."""

    text: str


@dataclass(frozen=True)
class Table:
    """A table in the body: ``headers`` is the first row, each of ``rows`` has as many cells as ``headers``.

    Cells are shown as given (format numbers before passing them). ``caption`` is written above the table.
    """

    headers: list[str]
    rows: list[list[str]]
    caption: str = ""


@dataclass(frozen=True)
class Figure:
    """An image in the body, e.g. a chart from ``charts.py``, with its caption written below it.

    ``image`` holds PNG or SVG bytes. PNG works in every format; SVG works in HTML and PDF only (DOCX needs
    PNG, ``render_docx`` says so). ``width_mm`` is the printed width, at most the 156 mm of the version core.
    """

    image: bytes
    caption: str = ""
    width_mm: float = 150.0

    @property
    def is_svg(self) -> bool:
        """True when ``image`` is an SVG document rather than a PNG."""
        head = self.image[:512].lstrip()
        return head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in self.image[:2048])


Block = Heading | Paragraph | Table | Figure


@dataclass(frozen=True)
class OfficialDocument:
    """One 公文: a notice, a bulletin (通报), a decision, laid out per GB/T 9704-2012.

    - ``issuer``: the 发文机关标志 as printed in red at the top, usually ending in 文件, e.g.
      "天津市文化和旅游局文件"; a bulletin may use its own mark, e.g. "天津市文化产业统计通报".
    - ``number``: the 发文字号, e.g. "津文旅发〔2026〕12号" (year in 六角括号 〔〕).
    - ``title``: the 标题, 2号小标宋 centred under the red line.
    - ``addressee``: the 主送机关 ("各区文化和旅游局："); empty for a document without one. A trailing full-width
      colon is added when missing.
    - ``body``: the 正文 as a list of blocks (``Heading``, ``Paragraph``, ``Table``, ``Figure``).
    - ``signature``: the 发文机关署名 above the date; ``date``: the 成文日期.
    - ``attachment_note``: the 附件说明, e.g. "1. 2026年度市级重点项目名单" (several lines allowed, one per item).
    - ``copy_to``: the 抄送机关 in the 版记; ``printer`` and ``print_date``: 印发机关和印发日期 (default: the
      signature and the date).
    - ``secrecy`` (密级和保密期限, e.g. "秘密★1年"), ``urgency`` (紧急程度, e.g. "特急"), ``copy_number`` (份号):
      optional, printed top left.
    - ``date_numerals``: "arabic" writes 2026年12月1日 as GB/T 9704-2012 §7.3.5.2 prescribes; "chinese" writes
      二〇二六年十二月一日 (the 1999 edition's style, still asked for by some offices).
    """

    issuer: str
    number: str
    title: str
    addressee: str
    body: list[Block]
    signature: str
    date: datetime.date
    attachment_note: str = ""
    copy_to: str = ""
    printer: str = ""
    print_date: datetime.date | None = None
    secrecy: str = ""
    urgency: str = ""
    copy_number: str = ""
    date_numerals: Literal["arabic", "chinese"] = "arabic"
    meta: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("issuer", "title", "signature"):
            if not str(getattr(self, name)).strip():
                raise DocumentError(f"公文缺少{_LABELS[name]}（{name}）")
        if not isinstance(self.date, datetime.date):
            raise DocumentError("公文的成文日期（date）必须是日期")
        for index, block in enumerate(self.body, start=1):
            if not isinstance(block, Heading | Paragraph | Table | Figure):
                raise DocumentError(f"正文第 {index} 块不是 Heading、Paragraph、Table 或 Figure：{type(block).__name__}")
            if isinstance(block, Table):
                for row_number, row in enumerate(block.rows, start=1):
                    if len(row) != len(block.headers):
                        raise DocumentError(
                            f"正文第 {index} 块表格第 {row_number} 行有 {len(row)} 格，表头有 {len(block.headers)} 格"
                        )

    @property
    def addressee_line(self) -> str:
        """The 主送机关 ending with a full-width colon, or "" when there is none."""
        text = self.addressee.strip()
        if not text:
            return ""
        return text if text.endswith("：") else text.rstrip(":") + "："

    @property
    def date_text(self) -> str:
        """The 成文日期 as printed."""
        return format_date(self.date, self.date_numerals)

    @property
    def imprint(self) -> tuple[str, str]:
        """The 印发机关 and 印发日期 of the 版记 (the date always in Arabic numerals, followed by 印发)."""
        when = self.print_date or self.date
        return (self.printer or self.signature, f"{when.year}年{when.month}月{when.day}日印发")


_LABELS = {"issuer": "发文机关标志", "title": "标题", "signature": "发文机关署名"}


def format_date(value: datetime.date, numerals: str = "arabic") -> str:
    """Write a date the way a 公文 does: 2026年12月1日, or 二〇二六年十二月一日 with ``numerals="chinese"``."""
    if numerals == "arabic":
        return f"{value.year}年{value.month}月{value.day}日"
    if numerals != "chinese":
        raise DocumentError(f"日期数字写法只能是 arabic 或 chinese，不是 {numerals!r}")
    year = "".join(CHINESE_DIGITS[int(d)] for d in str(value.year))
    return f"{year}年{chinese_number(value.month)}月{chinese_number(value.day)}日"


def chinese_number(value: int) -> str:
    """1–99 in Chinese numerals as used for months, days and headings: 十, 十二, 二十一."""
    if not 0 < value < 100:
        raise DocumentError(f"中文数字只写 1–99，不是 {value}")
    tens, ones = divmod(value, 10)
    if tens == 0:
        return CHINESE_DIGITS[ones]
    prefix = "" if tens == 1 else CHINESE_DIGITS[tens]
    return prefix + "十" + (CHINESE_DIGITS[ones] if ones else "")


def numbered_headings(body: list[Block]) -> list[tuple[Block, str]]:
    """Each block with the number its heading shows ("一、", "（二）"), "" for other blocks."""
    out: list[tuple[Block, str]] = []
    first = second = 0
    for block in body:
        label = ""
        if isinstance(block, Heading) and block.numbered:
            if block.level == 1:
                first, second = first + 1, 0
                label = chinese_number(first) + "、"
            else:
                second += 1
                label = "（" + chinese_number(second) + "）"
        out.append((block, label))
    return out
