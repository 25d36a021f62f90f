"""Validation-rule expressions: arithmetic over indicator codes, numbers and period offsets. Never ``eval``.

Grammar (a subset of Python's expression syntax, read with :func:`ast.parse` and then walked node by node;
anything else is refused with a message naming it)::

    expr   := number | code | expr (+ - * /) expr | -expr | (expr)
            | abs(expr) | min(expr, expr…) | max(expr, expr…)
            | prev_period(code) | prev_quarter(code) | same_period_last_year(code)

``code`` is an indicator code; a code that is not in the catalogue is an error naming it. A value missing
from the report makes the expression's value ``None`` (the rule is then not evaluated).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from decimal import Decimal, DivisionByZero, InvalidOperation

from django.utils.translation import gettext

from . import periods

# function name → period shift (a number of periods of the report's own type; "year" means one year back)
PERIOD_FUNCTIONS: dict[str, int | str] = {"prev_period": -1, "prev_quarter": -1, "same_period_last_year": "year"}
PLAIN_FUNCTIONS = {"abs", "min", "max"}
MAX_LENGTH = 300


class ExpressionError(ValueError):
    """An expression that cannot be used; the message says what and where."""


@dataclass(frozen=True)
class Term:
    """One indicator reference: its code and which period (0 = the report's own)."""

    code: str
    offset: int | str = 0


Lookup = Callable[[Term], Decimal | None]


@dataclass
class Expression:
    """A parsed expression: its source, the indicator terms it reads, and an evaluator."""

    source: str
    terms: list[Term] = field(default_factory=list)
    _fn: Callable[[Lookup], Decimal | None] | None = None

    @property
    def current_codes(self) -> list[str]:
        """Codes read in the report's own period (the cells a broken rule points at), in order of appearance."""
        seen: list[str] = []
        for t in self.terms:
            if t.offset == 0 and t.code not in seen:
                seen.append(t.code)
        return seen

    def evaluate(self, lookup: Lookup) -> Decimal | None:
        assert self._fn is not None
        try:
            return self._fn(lookup)
        except (DivisionByZero, InvalidOperation, ZeroDivisionError):
            return None


def resolve_period(period_code: str, offset: int | str) -> str:
    """The period a term with ``offset`` reads, for a report of ``period_code``."""
    if offset == 0:
        return period_code
    if offset == "year":
        return periods.same_period_last_year(period_code)
    return periods.shift(period_code, int(offset))


def parse(source: str, known_codes: Collection[str]) -> Expression:
    """Parse ``source``; raises :class:`ExpressionError` for bad syntax, a disallowed construct or an unknown
    indicator code (named in the message)."""
    text = (source or "").strip()
    if not text:
        raise ExpressionError(gettext("表达式不能为空。"))
    if len(text) > MAX_LENGTH:
        raise ExpressionError(gettext("表达式过长（超过 %(n)s 个字符）。") % {"n": MAX_LENGTH})
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(gettext("表达式“%(expr)s”语法错误（第 %(col)s 个字符附近）。")
                              % {"expr": text, "col": exc.offset or 1}) from None
    expr = Expression(source=text)
    expr._fn = _compile(tree.body, expr, frozenset(known_codes))
    return expr


def _compile(node: ast.AST, expr: Expression, known: frozenset[str]) -> Callable[[Lookup], Decimal | None]:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        number = Decimal(str(node.value))
        return lambda lookup: number
    if isinstance(node, ast.Name):
        return _term(node.id, 0, expr, known)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = _compile(node.operand, expr, known)
        sign = -1 if isinstance(node.op, ast.USub) else 1
        return lambda lookup: None if (v := inner(lookup)) is None else sign * v
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right, op = _compile(node.left, expr, known), _compile(node.right, expr, known), _BINARY[type(node.op)]

        def binary(lookup: Lookup) -> Decimal | None:
            a, b = left(lookup), right(lookup)
            return None if a is None or b is None else op(a, b)
        return binary
    if isinstance(node, ast.Call):
        return _call(node, expr, known)
    raise ExpressionError(gettext("表达式“%(expr)s”中不允许使用“%(part)s”：只能使用指标代码、数字、+ - * / 、括号和 "
                                  "abs、min、max、prev_period、prev_quarter、same_period_last_year。")
                          % {"expr": expr.source, "part": ast.unparse(node)})


_BINARY: dict[type, Callable[[Decimal, Decimal], Decimal]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}


def _term(code: str, offset: int | str, expr: Expression, known: frozenset[str]) -> Callable[[Lookup], Decimal | None]:
    if code not in known:
        raise ExpressionError(gettext("表达式“%(expr)s”引用了不存在的指标“%(code)s”。") % {"expr": expr.source, "code": code})
    term = Term(code, offset)
    expr.terms.append(term)
    return lambda lookup: lookup(term)


def _call(node: ast.Call, expr: Expression, known: frozenset[str]) -> Callable[[Lookup], Decimal | None]:
    name = node.func.id if isinstance(node.func, ast.Name) else ast.unparse(node.func)
    if node.keywords:
        raise ExpressionError(gettext("函数 %(name)s 不接受命名参数。") % {"name": name})
    if name in PERIOD_FUNCTIONS:
        if len(node.args) != 1 or not isinstance(node.args[0], ast.Name):
            raise ExpressionError(gettext("%(name)s() 的参数应为一个指标代码，例如 %(name)s(value_added)。")
                                  % {"name": name})
        return _term(node.args[0].id, PERIOD_FUNCTIONS[name], expr, known)
    if name not in PLAIN_FUNCTIONS:
        raise ExpressionError(gettext("表达式“%(expr)s”中有未知函数“%(name)s”。") % {"expr": expr.source, "name": name})
    args = [_compile(a, expr, known) for a in node.args]
    if name == "abs":
        if len(args) != 1:
            raise ExpressionError(gettext("abs() 只接受一个参数。"))
        return lambda lookup: None if (v := args[0](lookup)) is None else abs(v)
    if not args:
        raise ExpressionError(gettext("%(name)s() 至少需要一个参数。") % {"name": name})
    pick = min if name == "min" else max

    def extreme(lookup: Lookup) -> Decimal | None:
        values = [a(lookup) for a in args]
        return None if any(v is None for v in values) else pick(v for v in values if v is not None)
    return extreme


COMPARE: dict[str, Callable[[Decimal, Decimal], bool]] = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}
