"""What a file really is (from its first bytes and zip directory) and how its text is encoded."""

from __future__ import annotations

import codecs
import re
import zipfile

from django.utils.translation import gettext

from . import base as limits
from .base import ImportFileError

# ---------------------------------------------------------------------------------------- sniffing


OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


def sniff_format(head: bytes, filename: str = "") -> str:
    """``"xlsx"`` or ``"csv"`` from the file's first bytes; :class:`ImportFileError` for anything else.

    The extension is only used to phrase the message: a CSV called .xlsx is still read as CSV.
    """
    name = filename or gettext("文件")
    if not head:
        raise ImportFileError(gettext("%(name)s 是空文件（0 字节），没有可导入的内容。") % {"name": name})
    if head.startswith(OLE2_MAGIC):
        raise ImportFileError(_ole2_message(head) % {"name": name})
    if head.startswith(ZIP_MAGIC):
        return "xlsx"  # the zip directory says more; see check_xlsx_archive
    if head.startswith(b"%PDF"):
        raise ImportFileError(gettext("%(name)s 是 PDF 文件，不是表格，请导入 .xlsx 或 .csv 文件。") % {"name": name})
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        raise ImportFileError(gettext("%(name)s 是图片，不是表格，请导入 .xlsx 或 .csv 文件。") % {"name": name})
    if head.startswith((b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b")):
        raise ImportFileError(gettext("%(name)s 是压缩包，请解压后导入其中的 .xlsx 或 .csv 文件。") % {"name": name})
    probe = head[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if probe.startswith((b"<html", b"<!doctype html", b"<table", b"<meta")) or b"<html" in probe[:512]:
        raise ImportFileError(gettext("%(name)s 是网页 (HTML) 格式的表格（常见于从业务系统“导出 Excel”），不是真正的 Excel "
                                      "文件；请用 Excel 打开后另存为 .xlsx 再导入。") % {"name": name})
    if probe.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        raise ImportFileError(gettext("%(name)s 是 Excel 2003 XML 表格，请用 Excel 打开后另存为 .xlsx 再导入。")
                              % {"name": name})
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "csv"
    sample = head[:4096]
    if sample.count(b"\x00") > len(sample) // 10:
        raise ImportFileError(gettext("%(name)s 是二进制文件，不是 .xlsx 或 CSV 表格。") % {"name": name})
    return "csv"


def _ole2_message(head: bytes) -> str:
    """Why an OLE2 (Office 97-2003 container) file cannot be imported, with a ``%(name)s`` placeholder."""
    if "EncryptedPackage".encode("utf-16-le") in head or b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00" in head:
        return gettext("%(name)s 是设置了打开密码的 Excel 文件，请在 Excel 中取消密码并另存为 .xlsx 后再导入。")
    if "WordDocument".encode("utf-16-le") in head:
        return gettext("%(name)s 是 Word 97-2003 (.doc) 文档，不是表格，请把数据放到 Excel 中另存为 .xlsx。")
    return gettext("%(name)s：这是旧版 Excel 97-2003 (.xls) 文件，请另存为 .xlsx 后再导入。")


def _human_size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


def check_xlsx_archive(zf: zipfile.ZipFile, filename: str = "") -> None:
    """Refuse archives that are not workbooks or that would decompress to far more than they should.

    Only the zip directory is read. A directory that understates an entry's size does not help an
    attacker: zipfile stops at the declared size and the CRC check then fails.
    """
    name = filename or gettext("文件")
    infos = zf.infolist()
    names = {i.filename for i in infos}
    if len(infos) > limits.MAX_ZIP_ENTRIES:
        raise ImportFileError(gettext("%(name)s 含 %(count)s 个压缩条目，远多于正常的 Excel 文件，已拒绝。")
                              % {"name": name, "count": len(infos)})
    total = sum(i.file_size for i in infos)
    if total > limits.MAX_UNCOMPRESSED_BYTES:
        biggest = max(infos, key=lambda i: i.file_size)
        raise ImportFileError(gettext(
            "%(name)s 疑似“压缩炸弹”：压缩包仅 %(packed)s，解压后合计 %(total)s（最大的条目 %(entry)s 为 %(size)s），"
            "超过允许的 %(limit)s，已拒绝读取。") % {
                "name": name, "packed": _human_size(sum(i.compress_size for i in infos)), "total": _human_size(total),
                "entry": biggest.filename, "size": _human_size(biggest.file_size),
                "limit": _human_size(limits.MAX_UNCOMPRESSED_BYTES)})
    for i in infos:
        if i.file_size > limits.RATIO_CHECK_FROM and i.file_size > limits.MAX_ENTRY_RATIO * max(i.compress_size, 1):
            raise ImportFileError(gettext(
                "%(name)s 疑似“压缩炸弹”：条目 %(entry)s 压缩后 %(packed)s，解压后 %(size)s（压缩比 1:%(ratio)s），"
                "超过允许的 1:%(limit)s，已拒绝读取。") % {
                    "name": name, "entry": i.filename, "packed": _human_size(i.compress_size),
                    "size": _human_size(i.file_size), "ratio": i.file_size // max(i.compress_size, 1),
                    "limit": limits.MAX_ENTRY_RATIO})
    if "xl/workbook.xml" in names:
        shared = next((i for i in infos if i.filename.lower() == "xl/sharedstrings.xml"), None)
        if shared is not None:
            check_shared_strings(zf, shared, name)
        return
    raise ImportFileError(_not_a_workbook_message(names) % {"name": name})


def _not_a_workbook_message(names: set[str]) -> str:
    """What a zip archive without ``xl/workbook.xml`` is, as a message with a ``%(name)s`` placeholder."""
    if "xl/workbook.bin" in names:
        return gettext("%(name)s 是 Excel 二进制工作簿 (.xlsb)，请另存为 .xlsx 后再导入。")
    if "word/document.xml" in names:
        return gettext("%(name)s 是 Word 文档 (.docx)，不是表格，请把数据放到 Excel 中另存为 .xlsx。")
    if "ppt/presentation.xml" in names:
        return gettext("%(name)s 是 PowerPoint 文档，不是表格。")
    if "mimetype" in names and "content.xml" in names:
        return gettext("%(name)s 是 OpenDocument 表格 (.ods/WPS 等)，请另存为 .xlsx 后再导入。")
    return gettext("%(name)s 是 zip 压缩包而不是 Excel 工作簿（缺少 xl/workbook.xml），请导入 .xlsx 或 .csv 文件。")


# --------------------------------------------------------------------------------------- encodings


def _cjk_count(text: str) -> int:
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")


def _line_col(data: bytes, pos: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, pos) + 1
    start = data.rfind(b"\n", 0, pos) + 1
    return line, pos - start + 1


def decode_text(data: bytes, *, declared: str | None = None, filename: str = "") -> tuple[str, str, list[str]]:
    """Decode CSV bytes: ``(text, encoding used, notes)``.

    ``declared`` is what the upload or the user said (``"utf-8"``, ``"gbk"``...); it is tried first but a file
    that does not decode under it is detected again, and the note says so.
    """
    name = filename or gettext("文件")
    notes: list[str] = []
    with_bom = _decode_with_bom(data, name)
    if with_bom is not None:
        return with_bom[0], with_bom[1], notes
    declared_norm = (declared or "").strip().lower().replace("_", "-")
    if declared_norm and declared_norm not in {"utf-8", "utf8", "auto", ""}:
        try:
            codecs.lookup(declared_norm)
            return data.decode(declared_norm), declared_norm.upper(), notes
        except (LookupError, UnicodeDecodeError):
            notes.append(gettext("文件声明的编码 %(encoding)s 与内容不符，已自动识别。") % {"encoding": declared})
    try:
        return data.decode("utf-8"), "UTF-8", notes
    except UnicodeDecodeError as exc:
        utf8_error = exc
    _refuse_mixed_utf8(data, utf8_error, name)
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        gb_error = exc
    else:
        if declared_norm in {"utf-8", "utf8"}:
            notes.append(gettext("文件声明为 UTF-8，但内容实际是 GBK/GB18030 编码，已按 GBK 读取。"))
        else:
            notes.append(gettext("文件按 GBK/GB18030 编码读取。"))
        return text, "GBK", notes
    detected = _decode_detected(data)
    if detected is not None:
        notes.append(gettext("文件按 %(encoding)s 编码读取（自动识别）。") % {"encoding": detected[1]})
        return detected[0], detected[1], notes
    u_line, u_col = _line_col(data, utf8_error.start)
    g_line, g_col = _line_col(data, gb_error.start)
    raise ImportFileError(gettext(
        "%(name)s 的编码无法识别：按 UTF-8 读取在第 %(u_line)s 行第 %(u_col)s 个字节出错，按 GBK/GB18030 读取在第 "
        "%(g_line)s 行第 %(g_col)s 个字节出错。请在 Excel 或记事本中另存为“UTF-8”编码的 CSV 后再导入。") % {
            "name": name, "u_line": u_line, "u_col": u_col, "g_line": g_line, "g_col": g_col})


def _decode_with_bom(data: bytes, name: str) -> tuple[str, str] | None:
    """``(text, encoding)`` for a file starting with a UTF-8 or UTF-16 byte-order mark, else None."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8"), "UTF-8 (BOM)"
        except UnicodeDecodeError as exc:
            line, col = _line_col(data, exc.start + 3)
            raise ImportFileError(gettext(
                "%(name)s 以 UTF-8 标记 (BOM) 开头，但第 %(line)s 行第 %(col)s 个字节 (0x%(byte)s) 不是 UTF-8，"
                "文件可能混入了另一种编码的内容。请另存为 UTF-8 后再导入。") % {
                    "name": name, "line": line, "col": col, "byte": f"{data[exc.start + 3]:02X}"}) from exc
    for bom, enc in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(enc), "UTF-16"
            except UnicodeDecodeError as exc:
                raise ImportFileError(gettext("%(name)s 以 UTF-16 标记开头，但第 %(pos)s 字节处内容不是有效的 UTF-16。")
                                      % {"name": name, "pos": exc.start}) from exc
    return None


def _refuse_mixed_utf8(data: bytes, utf8_error: UnicodeDecodeError, name: str) -> None:
    """A file that is UTF-8 Chinese up to some point and something else after it was pasted together."""
    prefix = data[: utf8_error.start].decode("utf-8", errors="replace")
    if _cjk_count(prefix) >= 2:
        line, col = _line_col(data, utf8_error.start)
        raise ImportFileError(gettext(
            "%(name)s 编码混杂：第 %(line)s 行以前是 UTF-8 中文，第 %(line)s 行第 %(col)s 个字节起出现不是 UTF-8 的字节 "
            "(0x%(byte)s)，可能由不同编码的文件拼接而成。请用同一编码（建议 UTF-8）另存后再导入。") % {
                "name": name, "line": line, "col": col, "byte": f"{data[utf8_error.start]:02X}"})


def _decode_detected(data: bytes) -> tuple[str, str] | None:
    """``(text, encoding)`` by charset detection, the last resort; None when that fails too."""
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[: 1 << 20]).best()
    except Exception:  # noqa: BLE001 - detection is a last resort; its failure is reported by the caller
        return None
    if best is None or not best.encoding:
        return None
    try:
        return data.decode(best.encoding), best.encoding
    except (UnicodeDecodeError, LookupError):
        return None


_SI = re.compile(rb"<(?:\w+:)?si[\s>/]")


def check_shared_strings(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> None:
    """Refuse a shared-string table too big to hold in memory, before openpyxl loads all of it.

    The size is the directory's (checked again while streaming, as a directory can lie); the entries are
    counted in one streaming pass, 1 MB at a time.
    """
    if info.file_size > limits.MAX_SHARED_STRINGS_BYTES:
        raise ImportFileError(_shared_too_big(name, info.file_size))
    count, size, tail = 0, 0, b""
    with zf.open(info) as fh:
        while chunk := fh.read(1 << 20):
            size += len(chunk)
            if size > limits.MAX_SHARED_STRINGS_BYTES:
                raise ImportFileError(_shared_too_big(name, size))
            data = tail + chunk
            count += len(_SI.findall(data))
            tail = data[-16:]
            count -= len(_SI.findall(tail))  # counted again with the next chunk
            if count > limits.MAX_SHARED_STRINGS:
                raise ImportFileError(gettext(
                    "{name} 的共享字符串表有超过 {limit:,} 个条目（上限 {limit:,}），读取它需要的内存过多，已拒绝。"
                    "请删除多余的工作表或内容，或拆分为几个文件后分批导入。").format(
                        name=name, limit=limits.MAX_SHARED_STRINGS))


def _shared_too_big(name: str, size: int) -> str:
    return gettext("{name} 的共享字符串表 (xl/sharedStrings.xml) 解压后超过 {size}（上限 {limit}），读取它需要的内存过多，"
                   "已拒绝。请删除多余的工作表或内容，或拆分为几个文件后分批导入。").format(
                       name=name, size=_human_size(size), limit=_human_size(limits.MAX_SHARED_STRINGS_BYTES))
