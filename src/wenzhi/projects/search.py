"""What the projects app puts in core's search index: projects, placed where the permission table places
them (district, park, owner enterprise), so a search reaches only the projects the user may see."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wenzhi.core import search
from wenzhi.core.models import Organisation
from wenzhi.core.search import Document, SearchType
from wenzhi.registry.models import Enterprise

from .choices import ProjectLevel, Stage
from .models import Project


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


def register() -> None:
    search.register(SearchType(
        key="project", label=_("项目"), model=Project, action="project.view", url_name="projects:project_detail",
        rows=lambda: Project.objects.select_related("owner", "district"), document=project_document,
        facets=("sector", "category", "kind"), order=50, snippet=project_snippet,
        follows=((Organisation, "district"), (Enterprise, "owner"))))
