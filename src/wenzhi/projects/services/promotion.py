"""Writes of the export directory and promotion: the yearly key cultural-export project directory, projects on
the public showcase, investors' interest (which reaches the owner and the district), and promotion fairs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from wenzhi.core import search
from wenzhi.core.models import User
from wenzhi.core.services import audited_save

from ..choices_funds import MessageKind
from ..models import ExportDirectory, ExportDirectoryEntry, Fair, InvestorInterest, Project, ShowcaseEntry
from .library import enforce
from .progress import message_send


@transaction.atomic
def export_directory_create(*, actor: User | None, year: int, name: str = "", description: str = "",
                            is_demo: bool = False) -> ExportDirectory:
    """Open a year's key cultural-export project directory (one per year)."""
    enforce(actor, "export_directory.manage")
    if ExportDirectory.all_objects.filter(year=year).exists():
        raise ValidationError({"year": gettext("%(y)s年的文化出口重点项目目录已存在") % {"y": year}})
    name = name.strip() or gettext("%(y)s年度天津市文化出口重点项目目录") % {"y": year}
    return audited_save(ExportDirectory(year=year, name=name, description=description, is_demo=is_demo),
                        actor=actor, reason=gettext("新建出口目录"))


@transaction.atomic
def export_entry_add(*, actor: User | None, directory: ExportDirectory, project: Project, markets: str = "",
                     reason: str = "") -> ExportDirectoryEntry:
    """List an export-oriented project in the directory (once per directory)."""
    enforce(actor, "export_directory.manage")
    if not project.export_oriented:
        raise ValidationError({"project": gettext("“%(p)s”未标记为文化出口项目，不能列入出口目录") % {"p": project.name}})
    if directory.entries.filter(project=project).exists():
        raise ValidationError({"project": gettext("“%(p)s”已在该目录中") % {"p": project.name}})
    entry = ExportDirectoryEntry(directory=directory, project=project, markets=markets, reason=reason)
    entry.full_clean()
    entry.save()
    search.index_rows_on_commit(ExportDirectory, [directory.pk])  # the directory is found by its projects
    return entry


@transaction.atomic
def export_directory_publish(*, actor: User | None, directory: ExportDirectory,
                             published_on: dt.date | None = None) -> ExportDirectory:
    enforce(actor, "export_directory.manage")
    if not directory.entries.exists():
        raise ValidationError({"entries": gettext("目录中还没有项目，不能发布")})
    directory.published_on = published_on or timezone.localdate()
    return audited_save(directory, actor=actor, reason=gettext("发布出口目录"))


@transaction.atomic
def showcase_save(*, actor: User | None, project: Project, pitch: str, seeking: Decimal = Decimal(0),
                  published: bool = True, is_demo: bool = False) -> ShowcaseEntry:
    """Put a project on the public showcase (or update its pitch, or take it off with ``published=False``)."""
    enforce(actor, "showcase.manage", project)
    if len((pitch or "").strip()) < 10:
        raise ValidationError({"pitch": gettext("请填写项目推介（至少 10 个字）")})
    entry = ShowcaseEntry.objects.filter(project=project).first() or ShowcaseEntry(project=project, is_demo=is_demo)
    new = (pitch.replace("\r\n", "\n").strip(), Decimal(str(seeking or 0)).quantize(Decimal("0.01")), bool(published))
    if entry.pk and (entry.pitch, entry.seeking, entry.published) == new:
        return entry  # saved back unchanged: nothing to record
    entry.pitch, entry.seeking, entry.published = new
    return audited_save(entry, actor=actor, reason=gettext("更新项目展示"))


@transaction.atomic
def interest_submit(*, project: Project, investor_name: str, organisation: str, email: str, phone: str = "",
                    amount: Decimal | None = None, message: str = "", fair: Fair | None = None,
                    is_demo: bool = False) -> InvestorInterest:
    """An investor's interest in a showcased project (from the public form, or recorded at a fair): stored,
    and sent to the owner enterprise and the project's district as an in-app message and e-mail."""
    shown = ShowcaseEntry.objects.filter(project=project, published=True).exists()
    if fair is None and not shown:
        raise ValidationError({"project": gettext("该项目未公开展示，不能提交投资意向")})
    if fair is not None and not fair.projects.filter(pk=project.pk).exists():
        raise ValidationError({"project": gettext("“%(p)s”不在推介会“%(f)s”的项目中") % {"p": project.name, "f": fair.name}})
    errors = {}
    if not (investor_name or "").strip():
        errors["investor_name"] = gettext("请填写联系人")
    if not (organisation or "").strip():
        errors["organisation"] = gettext("请填写投资机构")
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = gettext("电子邮箱格式不正确")
    if amount is not None and Decimal(str(amount)) < 0:
        errors["amount"] = gettext("意向投资额不能为负数")
    if errors:
        raise ValidationError(errors)
    interest = InvestorInterest(project=project, fair=fair, investor_name=investor_name.strip(),
                                organisation=organisation.strip(), email=email, phone=phone, amount=amount,
                                message=message, is_demo=is_demo)
    interest.full_clean()
    interest.save()
    subject = gettext("%(o)s对“%(p)s”有投资意向") % {"o": interest.organisation, "p": project.name}
    body = gettext("联系人：%(n)s；邮箱：%(e)s；电话：%(t)s；意向金额：%(a)s 元\n%(m)s") % {
        "n": interest.investor_name, "e": email, "t": phone or "—", "a": amount or "—", "m": message}
    owner_org = project.owner.organisation if project.owner_id else None
    for org in filter(None, (owner_org, project.district)):
        message_send(organisation=org, kind=MessageKind.INTEREST, subject=subject, body=body, project=project,
                     is_demo=is_demo)
    return interest


@transaction.atomic
def fair_create(*, actor: User | None, name: str, held_on: dt.date, venue: str, description: str = "",
                projects: list[Project] | None = None, is_demo: bool = False) -> Fair:
    """Plan a promotion fair (推介会) with the projects it presents."""
    enforce(actor, "fair.manage")
    fair = audited_save(Fair(name=(name or "").strip(), held_on=held_on, venue=(venue or "").strip(),
                             description=description, is_demo=is_demo), actor=actor, reason=gettext("新建推介会"))
    if projects:
        fair.projects.add(*projects)
    return fair


@transaction.atomic
def fair_add_project(*, actor: User | None, fair: Fair, project: Project) -> Fair:
    enforce(actor, "fair.manage")
    if fair.projects.filter(pk=project.pk).exists():
        raise ValidationError({"project": gettext("“%(p)s”已在推介会中") % {"p": project.name}})
    fair.projects.add(project)
    return fair
