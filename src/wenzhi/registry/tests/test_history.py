"""The change history in human terms: labels, names, 是/否, dates and evidence as text, in the page's language."""

import datetime as dt

from django.urls import reverse
from django.utils import translation

from wenzhi.core.services import history_diffs

from .. import services


def _changes(obj) -> dict[str, tuple[str, str]]:
    """field label → (old, new) of the newest history row."""
    return {c["field"]: (c["old"], c["new"]) for c in history_diffs(obj)[0]["changes"]}


def test_choices_names_booleans_dates_and_evidence_read_as_text(registry, users):
    ent = registry["ent_b"]  # an animation company in 测试园区乙
    admin = users["city_admin"]
    services.enterprise_update(actor=admin, enterprise=ent, data={
        "park": None, "founded_on": dt.date(2020, 5, 6), "ownership": "private"})
    changes = _changes(ent)
    assert changes["所在园区"] == ("测试园区乙", "")
    assert changes["成立日期"] == ("", "2020-05-06")
    assert changes["所有制"] == ("", "民营")

    services.enterprise_override_classification(actor=admin, enterprise=ent, culture_subcategory="032",
                                                sector="creative_design", reason="主营数字设计，经核查")
    changes = _changes(ent)
    assert changes["产业门类"] == ("动漫游戏", "文化创意和设计")
    assert changes["人工认定"] == ("否", "是")
    old_evidence, new_evidence = changes["归类证据"]
    assert old_evidence.startswith("行业代码 6572 → ") and "{" not in old_evidence
    assert new_evidence.startswith("人工认定 → 032")
    assert history_diffs(ent)[-1]["type"] == "创建"


def test_intelligent_evidence_and_park_status_are_words(registry, users):
    ent = registry["ent_a"]
    services.enterprise_update(actor=users["city_admin"], enterprise=ent,
                               data={"business_scope": "人工智能 动漫设计；游戏开发"})
    old, new = _changes(ent)["智能化证据"]
    assert "人工智能" in new and "{" not in new and "weight" not in new

    park = registry["park_a"]
    services.park_transition(actor=users["city_admin"], park=park, transition="warn", reason="年度评价不合格")
    assert _changes(park)["状态"] == ("已命名", "已警告（限期整改）")


def test_history_on_the_page_speaks_english_in_english_mode(registry, users, client_as):
    ent = registry["ent_b"]
    services.enterprise_override_classification(actor=users["city_admin"], enterprise=ent,
                                                culture_subcategory="032", sector="creative_design",
                                                reason="主营数字设计，经核查")
    with translation.override("en"):
        changes = _changes(ent)
        assert changes["Sector"] == ("Animation and games", "Creative design")
        assert changes["Set by an official"] == ("No", "Yes")
        assert _changes(ent)["Classification evidence"][0].startswith("Industry code 6572 → ")
        # inside the override, so that the language the page request activates does not outlive this test
        page = client_as("city_admin").get(reverse("registry:enterprise_detail", args=[ent.pk]),
                                           HTTP_ACCEPT_LANGUAGE="en").content.decode()
    history = page[page.index('id="history"'):]
    assert "Animation and games → Creative design" in history and "animation_games" not in history
    assert "Yes" in history and "True" not in history and "{'" not in history
