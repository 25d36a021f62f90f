"""What the projects app puts in core's search index: projects, funds and grants, placed where the permission
table places them (a project by district, park and owner; a grant by district and enterprise; a fund is a
city-wide row every fund reader may find), so a search reaches only the rows the user may see. The list pages'
``q`` goes through the same index (``filters.SearchFilterSet``); progress reports are found through their
project's entry."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wenzhi.core import search
from wenzhi.core.models import Organisation
from wenzhi.core.search import Document, SearchType
from wenzhi.registry.models import Enterprise

from .choices import ProjectLevel, Stage
from .choices_funds import AllocationReason, FundKind
from .models import ExportDirectory, Fund, Grant, Project


def _label(choices, value: str) -> str:
    return str(dict(choices.choices).get(value, value or ""))


def project_snippet(p: Project) -> str:
    """A project's result line (owner, stage) in the current language."""
    return f"{p.owner.name} · {_label(Stage, p.stage)}"


def project_document(p: Project) -> Document:
    """A project: name, owner, description, stage and level."""
    text = " ".join([p.owner.name, p.district.name if p.district_id else "", p.description,
                     _label(Stage, p.stage), _label(ProjectLevel, p.level)])
    return Document(title=p.name, text=text, snippet=project_snippet(p),
                    district_id=p.district_id, park_id=p.park_id, enterprise_id=p.owner.organisation_id,
                    sector=p.sector, category=p.level, kind=p.stage, year=p.start_year)


def fund_document(f: Fund) -> Document:
    """A fund: name, kind, year and description; every user who may read funds finds it."""
    return Document(title=f.name, text=" ".join([_label(FundKind, f.kind), str(f.year), f.description]),
                    snippet=f"{f.year} · {_label(FundKind, f.kind)}", public=True, kind=f.kind, year=f.year)


def grant_document(g: Grant) -> Document:
    """A grant: the application's title, its enterprise, district and fund, placed in its district and
    enterprise (as the permission table places grants)."""
    fund = g.allocation.fund
    text = " ".join([g.enterprise.name, g.district.name, fund.name, _label(AllocationReason, g.reason)])
    return Document(title=g.application.title, text=text, snippet=f"{g.enterprise.name} · {fund.name}",
                    district_id=g.district_id, enterprise_id=g.enterprise.organisation_id, kind=g.reason,
                    year=fund.year)


def export_directory_document(d: ExportDirectory) -> Document:
    """A year's export directory: its name, year and description, and the projects it lists (name, owner,
    target markets), so a search for a project or a market finds the directories that list it. Public once
    published (the directory pages are); a draft is found only by those who manage directories."""
    entries = [" ".join([e.project.name, e.project.owner.name, e.markets]) for e in d.entries.all()]
    return Document(title=d.name, text=" ".join([str(d.year), d.description, *entries]),
                    snippet=str(d.year), public=d.published_on is not None, year=d.year)


def _manages_directories(user) -> bool:
    from wenzhi.core.permissions import can

    return can(user, "export_directory.manage")


def register() -> None:
    search.register(SearchType(
        key="project", label=_("项目"), model=Project, action="project.view", url_name="projects:project_detail",
        rows=lambda: Project.objects.select_related("owner", "district"), document=project_document,
        facets=("sector", "category", "kind"), order=50, snippet=project_snippet,
        follows=((Organisation, "district"), (Enterprise, "owner"))))
    search.register(SearchType(
        key="fund", label=_("专项资金"), model=Fund, action="fund.view", url_name="projects:fund_detail",
        rows=lambda: Fund.objects.all(), document=fund_document, facets=("kind", "year"), order=55))
    search.register(SearchType(
        key="grant", label=_("资助安排"), model=Grant, action="grant.view", url_name="projects:grant_detail",
        rows=lambda: Grant.objects.select_related("application", "enterprise", "district", "allocation__fund"),
        document=grant_document, facets=("kind", "year"), order=56))
    search.register(SearchType(
        key="export_directory", label=_("文化出口重点项目目录"), model=ExportDirectory,
        action="export_directory.view", url_name="projects:export_directory_detail",
        rows=lambda: ExportDirectory.objects.prefetch_related("entries__project__owner"),
        document=export_directory_document, facets=("year",), order=57, sees_all=_manages_directories))
