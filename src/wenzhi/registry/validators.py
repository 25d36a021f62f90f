"""Validators of registry data: the unified social credit code (GB 32100-2015) and enterprise names."""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from .constants import USCC_ALPHABET, USCC_LENGTH, USCC_WEIGHTS

_VALUE = {ch: i for i, ch in enumerate(USCC_ALPHABET)}


def uscc_check_char(first17: str) -> str:
    """The 18th (check) character for the first 17 characters of a credit code.

    Raises ``ValueError`` if ``first17`` is not 17 characters of the USCC alphabet.
    """
    first17 = first17.upper()
    if len(first17) != USCC_LENGTH - 1 or any(ch not in _VALUE for ch in first17):
        raise ValueError("需要 17 位合法字符")
    total = sum(_VALUE[ch] * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    c = 31 - total % 31
    return USCC_ALPHABET[0 if c == 31 else c]


def uscc_error(code: str) -> str | None:
    """A precise Chinese message of what is wrong with ``code``, or ``None`` when it is a valid credit code.

    Only the national check character (position 18) is enforced: codes issued early in pilot areas do not
    always satisfy the inner organisation-code check, so rejecting them would reject real enterprises.
    """
    raw = "" if code is None else str(code).strip()
    if not raw:
        return gettext("统一社会信用代码为空")
    if len(raw) != USCC_LENGTH:
        return gettext("统一社会信用代码应为 18 位，实为 %(length)s 位") % {"length": len(raw)}
    for pos, ch in enumerate(raw, start=1):
        if ch.upper() not in _VALUE:
            if ch in "IOSVZ" or ch in "iosvz":
                why = gettext("字母 %(char)s 不在代码字符集中（不使用 I、O、S、V、Z）") % {"char": ch.upper()}
            elif ch.islower():
                why = gettext("字符“%(char)s”应为大写") % {"char": ch}
            else:
                why = gettext("非法字符“%(char)s”") % {"char": ch}
            return gettext("统一社会信用代码第 %(position)s 位有误：%(why)s") % {"position": pos, "why": why}
    if raw != raw.upper():
        pos = next(i for i, ch in enumerate(raw, start=1) if ch.islower())
        return gettext("统一社会信用代码第 %(position)s 位应为大写字母") % {"position": pos}
    expected = uscc_check_char(raw[:17])
    if raw[17] != expected:
        return (gettext("统一社会信用代码校验位错误：第 18 位应为 %(expected)s，实为 %(actual)s（请核对前 17 位是否有误）")
                % {"expected": expected, "actual": raw[17]})
    return None


def uscc_is_valid(code: str) -> bool:
    """True when ``code`` is an 18-character credit code whose check character is right."""
    return uscc_error(code) is None


def validate_uscc(value: str) -> None:
    """Django field validator: empty is allowed (not every unit has a code on file); otherwise it must check."""
    if value in (None, ""):
        return
    message = uscc_error(value)
    if message:
        raise ValidationError(message, code="uscc")


_SPACES = re.compile(r"\s+")
# Suffixes and prefixes that vary between spellings of the same company; removed only for duplicate detection.
_PREFIXES = ("天津市", "天津")
_SUFFIXES = (
    "股份有限公司", "有限责任公司", "有限公司", "集团公司", "集团", "公司", "分公司",
    "有限合伙", "普通合伙",
)
_BRACKET_TIANJIN = re.compile(r"\((天津|天津市)\)")


def _fullwidth_to_halfwidth(text: str) -> str:
    # NFKC folds full-width letters, digits and brackets （）to their ASCII forms.
    return unicodedata.normalize("NFKC", text)


def normalise_name(name: str) -> str:
    """A key for duplicate detection of enterprise names, not for display.

    Full-width → half-width, spaces removed, brackets （）【】[] → (), upper-case Latin letters, and the
    variable parts of a company name removed: the 天津/天津市 prefix, a (天津) insert and company-form
    suffixes such as 有限公司 / 有限责任公司 / 股份有限公司. "天津市 文智传媒（有限公司）" and
    "文智传媒有限公司" give the same key.
    """
    if not name:
        return ""
    text = _fullwidth_to_halfwidth(str(name))
    text = text.replace("【", "(").replace("】", ")").replace("[", "(").replace("]", ")")
    text = text.replace("〔", "(").replace("〕", ")")
    text = _SPACES.sub("", text).upper()
    text = _BRACKET_TIANJIN.sub("", text).replace("(", "").replace(")", "")
    for prefix in _PREFIXES:
        if text.startswith(prefix) and len(text) > len(prefix) + 1:
            text = text[len(prefix):]
            break
    changed = True
    while changed:
        changed = False
        for suffix in _SUFFIXES:
            s = suffix.upper()
            if text.endswith(s) and len(text) > len(s) + 1:
                text = text[: -len(s)]
                changed = True
                break
    return text


def industry_code_error(code: str) -> str | None:
    """A Chinese message when ``code`` is not a GB/T 4754-2017 小类 (4-digit class) code, else ``None``."""
    from .reference import industry_class

    if not code:
        return None
    code = str(code).strip()
    if not re.fullmatch(r"\d{4}", code):
        return gettext("行业代码应为 4 位数字（GB/T 4754-2017 小类），实为“%(code)s”") % {"code": code}
    if industry_class(code) is None:
        return gettext("行业代码 %(code)s 不在 GB/T 4754-2017 小类中") % {"code": code}
    return None


def validate_industry_code(value: str) -> None:
    message = industry_code_error(value)
    if message:
        raise ValidationError(message, code="industry_code")
