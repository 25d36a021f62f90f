"""The central kitchen's rows in the platform permission table, declared once.

Stories belong to the city's newsroom, not to a district (``anywhere``): media editors and the city
administrator write, review, approve and publish them (an editor never approves a story they sent to review
themselves: ``services.story_transition``); withdrawing a published story is the city administrator's decision;
only the city administrator keeps the sensitive-word list, which editors read. Citizens (the public role) send
submissions and read their own; everybody, signed in or not, reads the published website articles.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wenzhi.core.choices import Role
from wenzhi.core.permissions import CITY, anywhere, declare

EDITORS = frozenset({Role.MEDIA_EDITOR, Role.CITY_ADMIN})
CITIZENS = frozenset({Role.PUBLIC})


def own_submission(user, submission) -> bool:
    return submission.submitted_by_id is not None and submission.submitted_by_id == user.pk


def submission_visible(user, submission) -> bool:
    """Moderators read every submission, a citizen their own."""
    from wenzhi.core.permissions import can

    return can(user, "submission.moderate") or own_submission(user, submission)


def register() -> None:
    declare("story.view", label=_("查看稿件库"), roles=EDITORS, object_check=anywhere)
    declare("story.add", label=_("撰写稿件"), roles=EDITORS, object_check=anywhere)
    declare("story.change", label=_("修改稿件和渠道稿"), roles=EDITORS, object_check=anywhere)
    declare("story.machine_draft", label=_("生成机器稿"), roles=EDITORS, object_check=anywhere)
    declare("story.submit", label=_("稿件送审"), roles=EDITORS, object_check=anywhere)
    declare("story.approve", label=_("审核稿件"), roles=EDITORS, object_check=anywhere)
    declare("story.publish", label=_("发布稿件"), roles=EDITORS, object_check=anywhere)
    declare("story.withdraw", label=_("撤回已发布稿件"), roles=CITY, object_check=anywhere)
    declare("story.read_published", label=_("阅读已发布文章"), anonymous=True)
    declare("submission.create", label=_("市民投稿"), roles=CITIZENS, object_check=own_submission)
    declare("submission.view", label=_("查看市民投稿"), roles=EDITORS | CITIZENS, object_check=submission_visible)
    declare("submission.view_own", label=_("查看本人投稿"), roles=CITIZENS, object_check=own_submission)
    declare("submission.moderate", label=_("审核市民投稿"), roles=EDITORS, object_check=anywhere)
    declare("sensitive_word.view", label=_("查看敏感词表"), roles=EDITORS, object_check=anywhere)
    declare("sensitive_word.manage", label=_("维护敏感词表"), roles=CITY, object_check=anywhere)
