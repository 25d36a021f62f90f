"""Tables of the project library, annual calls, review and selection, split by topic.

``library``: projects, their funding, milestones and stage steps; ``calls``: calls, applications and their
attachments; ``review``: expert assignments, reviews and conflict declarations; ``selection``: decisions, the
public notice and objections. Other topics (funds, progress) add their own modules here.
"""

from .calls import Application, ApplicationAttachment, Call
from .library import Milestone, Project, ProjectFunding, ProjectTransition
from .review import ConflictDeclaration, ExpertAssignment, Review, ReviewScore
from .selection import Decision, Objection, PublicNotice

from .funds import Disbursement, Fund, FundAllocation, FundHistory, Grant  # isort: skip
from .progress import ApplicationFingerprint, FingerprintBand, InboxMessage, ProgressReport  # isort: skip
from .promotion import (  # isort: skip
    ExportDirectory, ExportDirectoryEntry, Fair, InvestorInterest, ShowcaseEntry,
)

__all__ = [
    "Application", "ApplicationAttachment", "Call", "ConflictDeclaration", "Decision", "ExpertAssignment",
    "Milestone", "Objection", "Project", "ProjectFunding", "ProjectTransition", "PublicNotice", "Review",
    "ReviewScore",
    # funds, progress, promotion
    "ApplicationFingerprint", "Disbursement", "ExportDirectory", "ExportDirectoryEntry", "Fair", "FingerprintBand",
    "Fund", "FundAllocation", "FundHistory", "Grant", "InboxMessage", "InvestorInterest", "ProgressReport",
    "ShowcaseEntry",
]
