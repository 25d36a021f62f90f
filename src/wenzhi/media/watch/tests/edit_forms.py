"""Opinion monitoring's edit pages in the platform-wide "saved back unchanged" test (core/tests/test_edit_forms.py)."""

from __future__ import annotations

from wenzhi.core.choices import Role
from wenzhi.core.edit_forms import register_edit_form

from .. import services


def make_rule(ctx):
    from wenzhi.media.models import Source

    editor = ctx.users[Role.MEDIA_EDITOR]
    webhook = services.webhook_save(actor=editor, data={"name": "往返测试", "url": "https://partner.example/hook"})
    Source.objects.create(name="往返测试源", kind="rss")
    return services.rule_save(actor=editor, data={
        "name": "往返测试规则", "kind": "keyword", "severity": "critical", "keywords": ["事故", "维权"],
        "negative_only": True, "district": ctx.orgs["heping"], "email_to": ["duty@example.test"],
        "notify_users": [ctx.users[Role.DISTRICT_OFFICER]], "webhooks": [webhook], "window_hours": 12,
        "baseline_days": 7, "spike_factor": 2.5, "min_count": 4, "negativity": 0.75})


def make_webhook(ctx):
    return services.webhook_save(actor=ctx.users[Role.MEDIA_EDITOR], data={
        "name": "往返测试合作方", "url": "https://partner.example/hook", "secret": "s" * 32, "is_active": False})


register_edit_form("watch:rule_edit", roles=(Role.MEDIA_EDITOR, Role.CITY_ADMIN), make=make_rule)
register_edit_form("watch:webhook_edit", roles=(Role.MEDIA_EDITOR,), make=make_webhook)
