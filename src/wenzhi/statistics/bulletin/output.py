"""The bulletin of a period as files, without the web: the issued one as archived, else a fresh draft from the
data, checked figure by figure before anything is written (``wenzhi bulletin``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone

from . import check as checking
from .compose import compose
from .database import DatabaseSource
from .documents import official_document, render_docx, render_pdf


@dataclass
class Written:
    docx: Path
    pdf: Path
    issued: bool
    figures: int


def write_files(period: str, out: Path, *, date: datetime.date | None = None) -> Written:
    """Write ``bulletin-<period>.docx`` and ``.pdf`` into ``out``. Raises NoData for a period without data,
    ValueError when a figure does not re-compute (never writes such a bulletin)."""
    from .models import Bulletin, BulletinStatus

    docx_path, pdf_path = out / f"bulletin-{period}.docx", out / f"bulletin-{period}.pdf"
    issued = Bulletin.objects.filter(period__code=period, status=BulletinStatus.ISSUED).first()
    if issued is not None and issued.docx and issued.pdf:
        out.mkdir(parents=True, exist_ok=True)
        docx_path.write_bytes(issued.docx.read())
        pdf_path.write_bytes(issued.pdf.read())
        return Written(docx_path, pdf_path, True, len(issued.figures))
    draft = compose(DatabaseSource(), period)
    mismatches = checking.check(draft.figures, DatabaseSource())
    if mismatches:
        raise ValueError("；".join(m.message() for m in mismatches))
    doc = official_document(title=draft.title, paragraphs=draft.paragraphs, figures=draft.figures,
                            chart_specs=[c.as_dict() for c in draft.charts], number="",
                            date=date or timezone.localdate())
    docx, pdf = render_docx(doc), render_pdf(doc)
    out.mkdir(parents=True, exist_ok=True)  # only once there is something to write
    docx_path.write_bytes(docx)
    pdf_path.write_bytes(pdf)
    return Written(docx_path, pdf_path, False, len(draft.figures))
