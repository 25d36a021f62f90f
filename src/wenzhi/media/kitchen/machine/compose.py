"""What every machine writer shares: the Composer that binds each printed number to its query, the Draft it
returns, and the register of kinds (with whether each can run on the data there is)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .figures import Figure, FigureRef, NoFigure, evaluate


@dataclass
class Draft:
    """A machine-written story before it is stored."""

    title: str
    summary: str
    body: str
    params: dict
    figures: list[FigureRef] = field(default_factory=list)


class Composer:
    """Asks the named queries and binds each printed answer (``put``/``fig``) so the check can ask again."""

    def __init__(self) -> None:
        self.figures: list[FigureRef] = []

    def get(self, name: str, **params) -> Figure | None:
        try:
            return evaluate(name, params)
        except NoFigure:
            return None

    def put(self, name: str, figure: Figure, **params) -> str:
        for ref in self.figures:  # the same query asked twice prints the same figure once in the list
            if ref.query == name and ref.params == params:
                return figure.text
        key = f"f{len(self.figures) + 1}"
        self.figures.append(FigureRef(key=key, query=name, params=params, value=figure.canonical, text=figure.text))
        return figure.text

    def fig(self, name: str, **params) -> str | None:
        figure = self.get(name, **params)
        return None if figure is None else self.put(name, figure, **params)

    def draft(self, *, title: str, summary: str, paragraphs: list[str], params: dict) -> Draft:
        return Draft(title=title, summary=summary, body="\n\n".join(p for p in paragraphs if p), params=params,
                     figures=list(self.figures))


@dataclass(frozen=True)
class Writer:
    """One kind of machine-written story: how to read its parameters, the default ones, whether the data it
    needs exists here (``available() -> (bool, reason)``), and the composer."""

    kind: str
    parse: Callable[[dict], dict]
    default: Callable[[], dict]
    compose: Callable[[dict], Draft]
    available: Callable[[], tuple[bool, str]]


_writers: dict[str, Writer] = {}


def register(writer: Writer) -> None:
    _writers[writer.kind] = writer


def writers() -> dict[str, Writer]:
    from . import writers as _load  # noqa: F401

    return dict(_writers)
