"""What the funds, progress and promotion part of the projects app registers with core when it starts:
permission actions, the eligibility check for overdue reports, navigation, dashboard panels and demo data."""

from __future__ import annotations


def register() -> None:
    from . import permissions_funds
    from .eligibility import register_overdue_check
    from .selectors_progress import enterprise_has_overdue_report

    permissions_funds.register()
    register_overdue_check(enterprise_has_overdue_report)
