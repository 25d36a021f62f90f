"""Background tasks of statistics: thin wrappers that call services with primary keys."""

from __future__ import annotations

from wenzhi.core.tasks import slow_task

from .models import ReportingForm


@slow_task()
def reminders_send_task(form_id: int, period_code: str, email: bool = True) -> dict:
    """Remind the late reporters of a form and period (as the platform itself; e.g. from a daily schedule)."""
    from .services import reminders_send

    return reminders_send(actor=None, form=ReportingForm.objects.get(pk=form_id), period_code=period_code,
                          email=email)
