"""Every write of the projects app: keyword-only, validated, atomic and audited (see docs/STYLE.md).

Split by topic like the models: ``library`` (projects, stages, funding, milestones), ``calls`` (calls and
applications), ``review`` (district review, expert assignment, scoring), ``selection`` (decisions, notice,
objections, publication).
"""

from .calls import (
    application_attach,
    application_detach,
    application_save,
    application_submit,
    call_create,
    call_update,
)
from .library import (
    apply_intelligence,
    milestone_add,
    milestone_complete,
    project_create,
    project_funding_add,
    project_override_intelligence,
    project_transition,
    project_update,
)
from .review import conflict_declare, district_review, expert_assign, expert_unassign, review_save
from .selection import application_decide, notice_open, notice_publish, objection_answer, objection_submit

__all__ = [
    "application_attach", "application_decide", "application_detach", "application_save", "application_submit",
    "apply_intelligence", "call_create", "call_update", "conflict_declare", "district_review", "expert_assign",
    "expert_unassign", "milestone_add", "milestone_complete", "notice_open", "notice_publish",
    "objection_answer", "objection_submit", "project_create", "project_funding_add",
    "project_override_intelligence", "project_transition", "project_update", "review_save",
]
