"""The kitchen API: the same services and rules as the pages, errors as 400s naming the field or number."""

from __future__ import annotations

import pytest

from wenzhi.media.kitchen import services

from .conftest import publish_list

pytestmark = pytest.mark.django_db
API = "/api/v1/kitchen"
BODY = "海河文化创意周今日开幕，百余家企业集中展示数字文化新成果。"


def test_story_create_version_limit_and_workflow(client_as):
    editor, city = client_as("media_editor"), client_as("city_admin")
    created = editor.post(f"{API}/stories/", {"title": "海河文化创意周开幕", "body": BODY}, content_type="application/json")
    assert created.status_code == 201
    story = created.json()
    push = next(v for v in story["versions"] if v["channel"] == "app_push")
    refused = editor.patch(f"{API}/versions/{push['id']}/", {"body": "推" * 41}, content_type="application/json")
    assert refused.status_code == 400 and "41" in str(refused.json())
    extra = editor.patch(f"{API}/stories/{story['id']}/", {"status": "published"}, content_type="application/json")
    assert extra.status_code == 400 and "status" in extra.json()["errors"]
    assert editor.post(f"{API}/stories/{story['id']}/submit/", {}, content_type="application/json").status_code == 200
    assert editor.post(f"{API}/stories/{story['id']}/approve/", {}, content_type="application/json").status_code == 400
    assert city.post(f"{API}/stories/{story['id']}/approve/", {}, content_type="application/json").json()["status"] \
        == "approved"


def test_machine_draft_and_its_check_over_the_api(client_as, reference_data):
    from wenzhi.projects.models import Decision

    publish_list(2026, [("数字文博馆", "和平区", "city_key"), ("沉浸剧场", "河西区", "city_key")])
    editor = client_as("media_editor")
    made = editor.post(f"{API}/stories/machine/", {"kind": "key_projects", "year": 2026},
                       content_type="application/json")
    assert made.status_code == 201 and made.json()["machine_generated"] is True
    pk = made.json()["id"]
    assert editor.get(f"{API}/stories/{pk}/check/").json() == {"ok": True, "problems": []}
    Decision.objects.filter(application__title="沉浸剧场").update(outcome="reserve")
    check = editor.get(f"{API}/stories/{pk}/check/").json()
    assert not check["ok"] and any("市级重点项目" in p["message"] or "某一类别" in p["message"]
                                   for p in check["problems"])


def test_citizen_submission_over_the_api(client_as, admin):
    services.sensitive_word_save(actor=admin, data={"word": "诈骗", "level": "block"})
    citizen = client_as("public")
    refused = citizen.post(f"{API}/submissions/", {"title": "t", "body": "有人诈骗"}, content_type="application/json")
    assert refused.status_code == 400 and "诈骗" in str(refused.json())
    sent = citizen.post(f"{API}/submissions/", {"title": "书店", "body": "老街新书店"}, content_type="application/json")
    assert sent.status_code == 201
    assert [s["id"] for s in citizen.get(f"{API}/submissions/").json()["results"]] == [sent.json()["id"]]
    assert client_as("district_officer").get(f"{API}/submissions/").status_code == 403
    moderated = client_as("media_editor").post(f"{API}/submissions/{sent.json()['id']}/moderate/",
                                               {"accept": False, "reason": "重复"}, content_type="application/json")
    assert moderated.json()["status"] == "rejected"
