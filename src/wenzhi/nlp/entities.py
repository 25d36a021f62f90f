"""Entity linking: find registry entities (enterprises, parks, projects, districts, people) in text.

:class:`EntityLinker` turns each :class:`Entity` into surface forms: its full name, its explicit
aliases, and short names generated the way Chinese news shortens organisation names (drop
天津市/天津/(天津), drop 有限公司/股份有限公司/集团..., keep the trade name 字号, abbreviate
广播电视 → 广电 ...; e.g. 天津广播电视网络有限公司 → 广电网络公司, 天津广电网络). Text is scanned
leftmost-longest over those surfaces, then every hit is checked:

* word boundaries: a hit must not start or end inside a dictionary word of the plain
  segmentation (so 南开 is not found in 南开大学, 未来电视 not in 未来电视剧), nor touch a Latin
  letter or digit on a Latin edge (C92 not in AC925);
* another place in front: a generated short name right after a place name other than Tianjin
  or its districts (北京广播电视网络有限公司) is not ours;
* generic short names (made only of common words, e.g. 今晚网络 = "tonight online") need
  evidence: Tianjin, a district, or one of the entity's context words in the text;
* ambiguity: a surface shared by several entities is resolved by the entities' other names in
  the same text and by their context words (district, business); when nothing separates them
  the mention's confidence is 1/n and it is dropped below ``min_confidence``.
"""

from __future__ import annotations

import math
import os
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

__all__ = ["Entity", "Mention", "EntityLinker", "name_variants", "KINDS"]

KINDS = ("enterprise", "park", "project", "district", "person")

_CITY_PREFIXES = ("天津市", "天津")
_PAREN_TIANJIN_RE = re.compile(r"[(（]\s*天津(?:市)?\s*[)）]")
_COMPANY_SUFFIXES = (
    "集团股份有限公司", "集团有限责任公司", "集团有限公司", "股份有限公司", "有限责任公司", "有限公司",
    "集团公司", "集团", "公司",
)
# industry words after the trade name (字号): 灵然创智科技 → 灵然创智
_INDUSTRY_SUFFIXES = (
    "网络信息技术", "信息技术", "网络科技", "信息科技", "数字科技", "文化传媒", "文化传播", "文化发展", "文化产业",
    "文化创意", "文化艺术", "影视传媒", "新媒体", "传媒", "科技", "技术", "文化", "传播", "发展", "投资", "实业",
    "国际", "控股", "演艺", "出版", "影视",
)
_ABBREVIATIONS = (("广播电视", "广电"), ("出版传媒", "出版"), ("科学技术", "科技"), ("信息技术", "信息"), ("文化旅游", "文旅"))
_DISTRICT_SUFFIXES = ("新区", "区", "县")
# two-character district stems that are mostly something else in text (a province, a university,
# a common word): never generated as short names
_GENERIC_DISTRICT_STEMS = frozenset({"和平", "河东", "河西", "河北", "南开", "红桥", "滨海"})
# stems that are also brands or other places (北辰 group, Toray 东丽, Nanjing's 静海寺, 宁河 streets
# elsewhere): generated, but they need Tianjin evidence in the text
_WEAK_DISTRICT_STEMS = frozenset({"东丽", "北辰", "静海", "宁河"})
_PARK_SUFFIXES = ("文化创意产业园", "创意产业园", "文化产业园", "文创园", "产业园", "创意园", "创意街区", "园区")
_PARK_FORMS = ("创意园", "文创园", "产业园", "文化产业园", "创意产业园")
TIANJIN_DISTRICTS = (
    "和平区", "河东区", "河西区", "南开区", "河北区", "红桥区", "东丽区", "西青区", "津南区", "北辰区",
    "武清区", "宝坻区", "滨海新区", "宁河区", "静海区", "蓟州区",
)
_TIANJIN_WORDS = ("天津", "津门", "津城", "滨城", *TIANJIN_DISTRICTS)

_CONF = {"name": 0.98, "alias": 0.95, "short": 0.85, "generic": 0.45}


@dataclass
class Entity:
    """One registry entity the linker can find.

    ``kind`` is one of ``enterprise``, ``park``, ``project``, ``district``, ``person``;
    ``aliases`` are extra names used as they are (no short names are generated from them);
    ``context`` is free text (district, business, people) whose words help choose between
    entities that share a name.
    """

    id: str
    kind: str
    name: str
    aliases: list[str] = field(default_factory=list)
    context: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {self.kind!r}")
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError("name must be a non-empty string")
        self.id = str(self.id)
        self.aliases = [a for a in (self.aliases or []) if isinstance(a, str) and a.strip()]
        self.context = self.context or ""


@dataclass(frozen=True)
class Mention:
    """One entity mention: ``text[start:end] == surface`` links to ``entity_id``."""

    start: int
    end: int
    surface: str
    entity_id: str
    kind: str
    confidence: float

    def as_dict(self) -> dict[str, Any]:
        """The mention as a JSON-ready dict."""
        return asdict(self)


def _strip_company(name: str) -> tuple[str, str]:
    """Return (core, suffix) with the city prefix and company-form suffix removed."""
    core = _PAREN_TIANJIN_RE.sub("", name).strip()
    for p in _CITY_PREFIXES:
        if core.startswith(p) and len(core) > len(p) + 1:
            core = core[len(p) :]
            break
    suffix = ""
    changed = True
    while changed:
        changed = False
        for s in _COMPANY_SUFFIXES:
            if core.endswith(s) and len(core) > len(s) + 1:
                core = core[: -len(s)]
                suffix = s + suffix
                changed = True
                break
    return core, suffix


def name_variants(entity: Entity) -> list[tuple[str, str]]:
    """Surface forms of one entity as ``(surface, source)``; source is name, alias, short or generic.

    ``generic`` marks generated short names that are made only of common words; they are kept
    but need supporting evidence in the text (see the module docstring).
    """
    out: dict[str, str] = {entity.name.strip(): "name"}
    for a in entity.aliases:
        out.setdefault(a.strip(), "alias")

    def add(s: str, src: str = "short") -> None:
        s = s.strip()
        if len(s) >= 3 and s not in out:
            out[s] = src

    if entity.kind == "district":
        _district_variants(entity.name.strip(), out, add)
        return list(out.items())
    if entity.kind == "person":
        return list(out.items())

    core, suffix = _strip_company(entity.name)
    _trade_name_variants(entity, core, suffix, add)
    if entity.kind == "park" or entity.kind == "project":
        _place_variants(core, add)
    if entity.kind == "park":
        # C92文化产业园 ↔ C92创意园 / C92文创园: parks are named with interchangeable suffixes
        for base in [n for n, _ in list(out.items())]:
            for suf in _PARK_SUFFIXES:
                if base.endswith(suf) and len(base) - len(suf) >= 2:
                    stem = base[: -len(suf)]
                    for form in _PARK_FORMS:
                        add(stem + form)
                    break
    return list(out.items())


def _place_variants(core: str, add: Callable[..., None]) -> None:
    """A park's or project's name without the national or district words in front of it."""
    # 国家动漫产业综合示范园 → 动漫产业综合示范园 (drop 国家) is how local news names it
    for p in ("国家级", "国家", "中国"):
        if core.startswith(p) and len(core) - len(p) >= 4:
            add(core[len(p) :])
    # 滨海新区智慧山文化创意产业园 → 智慧山文化创意产业园
    for d in TIANJIN_DISTRICTS:
        if core.startswith(d) and len(core) - len(d) >= 4:
            add(core[len(d) :])


def _district_variants(name: str, out: dict[str, str], add: Callable[..., None]) -> None:
    """天津市和平区 → 和平区, 和平 (a stem that is also a common word is only ``generic``)."""
    if name.startswith("天津市"):
        add(name[3:])
    for suf in _DISTRICT_SUFFIXES:
        if name.endswith(suf) and len(name) - len(suf) >= 2:
            stem = name[: -len(suf)]
            if stem not in _GENERIC_DISTRICT_STEMS:
                out.setdefault(stem, "generic" if stem in _WEAK_DISTRICT_STEMS else "short")
            break


def _trade_name_variants(entity: Entity, core: str, suffix: str, add: Callable[..., None]) -> None:
    """The short forms of an organisation's name: its core and trade name, with 天津 and company words."""
    cores = {core}
    for long, short in _ABBREVIATIONS:
        if long in core:
            cores.add(core.replace(long, short))
    trade = set()
    for c in list(cores):
        for ind in _INDUSTRY_SUFFIXES:
            if c.endswith(ind) and len(c) - len(ind) >= 2:
                trade.add(c[: -len(ind)])
    is_company = bool(suffix) or entity.kind == "enterprise"
    for c in sorted(cores | trade):
        if len(c) <= 2:
            # a two-character trade name alone (今晚, 出版) is a common word: only 天津X公司 forms
            if is_company and c != core:
                add("天津" + c + "公司")
                if "集团" in suffix:
                    add("天津" + c + "集团")
            continue
        # a generic core stays generic with a company word after it (广电网络公司 is any
        # broadcaster's network company); with 天津 in front it is ours
        src = "generic" if _is_generic(c) else "short"
        if c != entity.name:
            add(c, src)
        add("天津" + c)
        add("天津市" + c)
        if is_company:
            add(c + "公司", src)
            add("天津" + c + "公司")
            if "集团" in suffix:
                add(c + "集团", src)
                add("天津" + c + "集团")
            if "股份" in suffix:
                add(c + "股份", src)


_generic_cache: dict[str, bool] = {}
_seg_lock = threading.Lock()
_plain = None


def _plain_segmenter():
    global _plain
    if _plain is None:
        with _seg_lock:
            if _plain is None:
                import rjieba  # noqa: PLC0415

                _plain = rjieba.Jieba()
    return _plain


@lru_cache(maxsize=1)
def _word_freq() -> dict[str, int]:
    """jieba's dictionary frequencies (the same dictionary rjieba compiles in)."""
    import importlib.util  # noqa: PLC0415

    spec = importlib.util.find_spec("jieba")
    freq: dict[str, int] = {}
    if spec is None or spec.origin is None:  # pragma: no cover - jieba is a dependency
        return freq
    with open(os.path.join(os.path.dirname(spec.origin), "dict.txt"), encoding="utf-8") as f:
        for line in f:
            parts = line.split(" ", 2)
            if len(parts) >= 2 and len(parts[0]) >= 2:
                freq[parts[0]] = int(parts[1])
    return freq


# geometric mean of the parts' jieba frequencies above which a compound of common words is
# generic: 今晚+网络 (≈3500), 未来+电视 (≈5400), 广电+网络 (≈980) are; 光合+影视 (≈220),
# 神界+漫画 (≈50), 海河+演艺 (≈150) are distinctive trade names
_GENERIC_MEAN_FREQ = 400


def _is_generic(s: str) -> bool:
    """True when a short name is two common multi-character words (今晚+网络, 未来+电视)."""
    if s not in _generic_cache:
        toks = _plain_segmenter().cut(s, False)
        # two common words side by side occur by chance (今晚+网络); three or more in a fixed
        # order (今晚+网络+信息技术) practically only as the name
        generic = len(toks) == 2 and all(len(t) >= 2 for t in toks)
        if generic:
            freq = _word_freq()
            mean = math.exp(sum(math.log(max(freq.get(t, 1), 1)) for t in toks) / len(toks))
            generic = mean >= _GENERIC_MEAN_FREQ
        _generic_cache[s] = generic
    return _generic_cache[s]


def _context_words(entity: Entity) -> set[str]:
    words = set(re.split(r"[\s,，、;；/|]+", entity.context or ""))
    for d in TIANJIN_DISTRICTS:
        if d in (entity.context or ""):
            words.add(d)
            words.add(d[:-1] if not d.endswith("新区") else d[:-2])
    return {w for w in words if len(w) >= 2}


def _is_ascii_alnum(c: str) -> bool:
    return c.isascii() and c.isalnum()


class EntityLinker:
    """Links registry entities in texts. Build once (it indexes every surface form), call :meth:`link`.

    ``min_confidence`` drops weaker mentions (ambiguous names with nothing to separate them,
    generic short names without evidence).
    """

    def __init__(self, entities: Iterable[Entity], *, min_confidence: float = 0.6) -> None:
        from wenzhi.nlp.normalize import fold_for_matching  # noqa: PLC0415

        self._fold = fold_for_matching
        self.min_confidence = min_confidence
        self.entities: dict[str, Entity] = {}
        self._surfaces: dict[str, list[tuple[str, str]]] = {}  # folded surface → [(entity_id, source)]
        self._names_of: dict[str, set[str]] = {}
        self._ctx: dict[str, set[str]] = {}
        for e in entities:
            if not isinstance(e, Entity):
                e = Entity(**e) if isinstance(e, dict) else e
            if e.id in self.entities:
                raise ValueError(f"duplicate entity id {e.id!r}")
            self.entities[e.id] = e
            self._ctx[e.id] = _context_words(e)
            names = set()
            for surface, src in name_variants(e):
                key = fold_for_matching(surface)
                if len(key) < 2:
                    continue
                self._surfaces.setdefault(key, []).append((e.id, src))
                names.add(key)
            self._names_of[e.id] = names
        # first character → lengths of surfaces starting with it, longest first
        lengths: dict[str, set[int]] = {}
        for s in self._surfaces:
            lengths.setdefault(s[0], set()).add(len(s))
        self._lengths = {c: sorted(ls, reverse=True) for c, ls in lengths.items()}

    def surfaces(self) -> dict[str, list[tuple[str, str]]]:
        """Every indexed surface (folded) with its ``(entity_id, source)`` entries."""
        return {k: list(v) for k, v in self._surfaces.items()}

    def _scan(self, folded: str) -> list[tuple[int, int, str]]:
        """Every surface occurrence (overlapping ones included), as (start, end, folded surface)."""
        hits = []
        lengths, surfaces = self._lengths, self._surfaces
        n = len(folded)
        for i, c in enumerate(folded):
            ls = lengths.get(c)
            if ls:
                for L in ls:
                    if i + L <= n and folded[i : i + L] in surfaces:
                        hits.append((i, i + L, folded[i : i + L]))
        return hits

    def link(self, texts: Sequence[str] | Iterable[str]) -> list[list[Mention]]:
        """Find entity mentions in each text; offsets are into the text as given."""
        return [self._link_one(t or "") for t in texts]

    def _link_one(self, text: str) -> list[Mention]:
        folded = self._fold(text)
        hits = self._scan(folded)
        if not hits:
            return []
        try:
            tagged = _plain_segmenter().tag(text, False)
        except UnicodeEncodeError:  # lone surrogates: replace them one for one to keep offsets
            tagged = _plain_segmenter().tag(re.sub("[\ud800-\udfff]", "\ufffd", text), False)
        starts, ends = set(), set()
        token_at: list[tuple[int, int, str, str]] = []
        pos = 0
        for w, t in tagged:
            starts.add(pos)
            token_at.append((pos, pos + len(w), w, t))
            pos += len(w)
            ends.add(pos)
        # names found unambiguously in this text count as evidence for their entity
        doc_entities: set[str] = set()
        for _s, _e, key in hits:
            cands = self._surfaces[key]
            if len({eid for eid, _ in cands}) == 1:
                doc_entities.add(cands[0][0])

        accepted: list[tuple[int, int, str, float]] = []
        for s, e, key in hits:
            cands = self._surfaces[key]
            sources = {src for _, src in cands}
            full = "name" in sources or "alias" in sources
            if not self._boundary_ok(text, s, e, starts, ends, full):
                continue
            if not full and self._foreign_place_before(token_at, s):
                continue
            ids = list(dict.fromkeys(eid for eid, _ in cands))
            best_src = {eid: max((src for x, src in cands if x == eid), key=lambda z: _CONF[z]) for eid in ids}
            if len(ids) == 1:
                eid = ids[0]
                conf = _CONF[best_src[eid]]
                if best_src[eid] == "generic":
                    rest = text[:s] + "\x00" + text[e:]  # evidence must come from outside the mention
                    if any(w in rest for w in _TIANJIN_WORDS) or self._ctx_score(eid, rest) > 0:
                        conf = 0.8
            else:
                eid, conf = self._disambiguate(ids, best_src, text, doc_entities)
            if eid is None or conf < self.min_confidence:
                continue
            accepted.append((s, e, eid, conf))
        # longest accepted hits first, then leftmost; overlapping shorter hits are dropped
        accepted.sort(key=lambda h: (-(h[1] - h[0]), h[0]))
        taken: list[tuple[int, int]] = []
        mentions: list[Mention] = []
        for s, e, eid, conf in accepted:
            if all(e <= a or s >= b for a, b in taken):
                taken.append((s, e))
                ent = self.entities[eid]
                mentions.append(Mention(s, e, text[s:e], eid, ent.kind, round(conf, 3)))
        mentions.sort(key=lambda m: m.start)
        return mentions

    @staticmethod
    def _boundary_ok(text: str, s: int, e: int, starts: set[int], ends: set[int], full: bool) -> bool:
        if s > 0 and _is_ascii_alnum(text[s]) and _is_ascii_alnum(text[s - 1]):
            return False
        if e < len(text) and _is_ascii_alnum(text[e - 1]) and _is_ascii_alnum(text[e]):
            return False
        if full and e - s >= 5:
            return True  # a long registered name: a word crossing its edge is a segmentation artefact
        return s in starts and e in ends

    @staticmethod
    def _foreign_place_before(tokens: list[tuple[int, int, str, str]], s: int) -> bool:
        for _a, b, w, t in tokens:
            if b == s:
                return t == "ns" and not any(w.startswith(x) or x.startswith(w) for x in _TIANJIN_WORDS)
            if b > s:
                return False
        return False

    def _ctx_score(self, eid: str, text: str) -> int:
        return sum(1 for w in self._ctx[eid] if w in text)

    def _disambiguate(
        self, ids: list[str], best_src: dict[str, str], text: str, doc_entities: set[str]
    ) -> tuple[str | None, float]:
        in_doc = [eid for eid in ids if eid in doc_entities]
        if len(in_doc) == 1:
            return in_doc[0], 0.9
        scores = sorted(((self._ctx_score(eid, text), eid) for eid in ids), reverse=True)
        (top, eid), (second, _) = scores[0], scores[1]
        if top > second:
            return eid, min(0.9, 0.6 + 0.1 * (top - second))
        # nothing separates them: a full name beats generated short names of others
        full = [x for x in ids if best_src[x] in ("name", "alias")]
        if len(full) == 1:
            return full[0], 0.7
        # undecided: the first candidate in registry order at confidence 1/n, which the default
        # min_confidence (0.6) drops whenever two or more entities share the name
        return ids[0], 1.0 / len(ids)
