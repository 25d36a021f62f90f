"""Full-text search over the registry: Chinese words inside names, prefixes and short names, the caller's scope,
the index following writes on commit, rebuild, and the three ways in (search page, list q, API).

Runs on SQLite (FTS5) by default and on PostgreSQL (tsvector) with WENZHI_TEST_DATABASE_URL.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from wenzhi.core import search
from wenzhi.core.models import SearchEntry

from .. import services
from ..models import Enterprise
from .factories import DirectoryFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(registry, orgs):
    """The registry fixture plus 天津动漫产业有限公司 (和平区) and 天津广播电视网络有限公司 (滨海新区), indexed."""
    registry["dongman"] = EnterpriseFactory(name="天津动漫产业有限公司", district=orgs["heping"],
                                            business_scope="动漫设计制作")
    registry["guangdian"] = EnterpriseFactory(name="天津广播电视网络有限公司", district=orgs["binhai"])
    search.rebuild()
    return registry


def titles(user, query, **kwargs) -> list[str]:
    return [h.title for h in search.search(user, query, limit=100, **kwargs).hits]


def test_a_word_inside_a_name_finds_it(indexed, users):
    found = titles(users["city_admin"], "动漫")
    assert "天津动漫产业有限公司" in found
    assert "天津滨海乙动漫科技有限公司" in found
    assert "天津滨海丙印务有限公司" not in found


def test_prefixes_and_short_names_find_the_full_name(indexed, users):
    admin = users["city_admin"]
    assert "天津动漫产业有限公司" in titles(admin, "天津动漫")
    assert "天津动漫产业有限公司" in titles(admin, "动漫产")  # an unfinished word
    # 广电网络 is only a generated short name (广播电视 → 广电) of 天津广播电视网络有限公司
    assert titles(admin, "广电网络") == ["天津广播电视网络有限公司"]
    assert titles(admin, indexed["ent_b"].credit_code[:16]) == ["天津滨海乙动漫科技有限公司"]
    # every word must be found: a second word nobody has empties the result
    assert titles(admin, "动漫 印务") == []


def test_a_district_officer_never_finds_another_districts_rows(indexed, users):
    heping = titles(users["district_officer"], "动漫")
    assert "天津动漫产业有限公司" in heping
    assert "天津滨海乙动漫科技有限公司" not in heping
    assert "天津滨海乙动漫科技有限公司" in titles(users["other_district"], "动漫")
    assert titles(users["district_officer"], "广电网络") == []


def test_park_and_enterprise_users_find_their_own_rows_only(indexed, users):
    assert titles(users["park_operator"], "天津", type_keys=["enterprise"]) == ["天津和平甲文化传媒有限公司"]
    assert set(titles(users["park_operator"], "测试", type_keys=["park", "talent"])) == {
        "测试园区甲", indexed["talent_a"].name}
    assert titles(users["enterprise_user"], "文化传媒") == ["天津和平甲文化传媒有限公司"]
    assert titles(users["enterprise_user"], "动漫") == []


@pytest.mark.parametrize("role", ["expert_reviewer", "media_editor", "public"])
def test_experts_editors_and_the_public_find_nothing_of_the_registry(indexed, users, role):
    assert titles(users[role], "天津") == []
    assert titles(users[role], "测试人才") == []


def test_directories_are_found_by_everyone_only_once_published(indexed, users, django_capture_on_commit_callbacks):
    name = indexed["directory"].name
    assert titles(users["city_admin"], "出口重点") == [name]
    assert titles(users["district_officer"], "出口重点") == []
    with django_capture_on_commit_callbacks(execute=True):
        published = DirectoryFactory(name="2019 年文化出口重点企业目录 公开", published=True)
    assert titles(users["expert_reviewer"], "出口重点") == [published.name]


def test_filters_apply_inside_the_query(indexed, users, orgs):
    admin = users["city_admin"]
    assert titles(admin, "动漫", type_keys=["enterprise"], filters={"district": orgs["binhai"].id}) == [
        "天津滨海乙动漫科技有限公司"]
    # a talent whose employer does animation is found by the employer's name
    assert titles(admin, "动漫", type_keys=["talent"]) == [indexed["talent_b"].name]
    assert titles(admin, "印务", type_keys=["park"]) == []
    assert set(titles(admin, "测试", type_keys=["park"])) == {"测试园区甲", "测试园区乙"}
    counts = search.search(admin, "动漫", facets=True).facets
    assert counts["type"]["enterprise"] == 2
    assert counts["type"]["talent"] == 1
    assert counts["district"] == {orgs["heping"].id: 1, orgs["binhai"].id: 2}  # 滨海: the enterprise and its talent


def test_the_index_follows_create_update_and_delete_on_commit(indexed, users, orgs,
                                                              django_capture_on_commit_callbacks):
    admin = users["city_admin"]
    with django_capture_on_commit_callbacks(execute=False) as pending:
        ent = EnterpriseFactory(name="天津星河数字影像有限公司", district=orgs["heping"])
    assert titles(admin, "星河") == []  # not before the commit
    for callback in pending:
        callback()
    assert titles(admin, "星河") == ["天津星河数字影像有限公司"]

    with django_capture_on_commit_callbacks(execute=True):
        services.enterprise_update(actor=admin, enterprise=ent, data={"name": "天津银河数字影像有限公司"})
    assert titles(admin, "星河") == ["天津银河数字影像有限公司"]  # the former name still finds it
    assert titles(admin, "银河") == ["天津银河数字影像有限公司"]

    with django_capture_on_commit_callbacks(execute=True):
        services.enterprise_delete(actor=admin, enterprise=ent, reason="注销")
    assert titles(admin, "银河") == []
    assert not SearchEntry.objects.filter(type="enterprise", object_id=ent.pk).exists()


def test_bulk_writes_are_indexed_by_index_rows(indexed, users):
    admin = users["city_admin"]
    ent = indexed["ent_c"]
    Enterprise.objects.filter(pk=ent.pk).update(name="天津滨海丙影视有限公司")  # no signals, like a bulk writer
    assert titles(admin, "影视") == []
    assert search.index_rows(Enterprise, [ent.pk]) == 1
    assert titles(admin, "影视") == ["天津滨海丙影视有限公司"]


def test_rebuild_command_restores_the_index(indexed, users, capsys):
    SearchEntry.objects.filter(type="enterprise").delete()
    assert titles(users["city_admin"], "动漫", type_keys=["enterprise"]) == []
    call_command("search", "rebuild", "--type", "enterprise")
    out = capsys.readouterr().out
    assert "enterprise：5 条" in out and "条/秒" in out
    assert "天津动漫产业有限公司" in titles(users["city_admin"], "动漫")
    assert SearchEntry.objects.filter(type="park").count() == 2  # other types untouched


def test_rebuild_command_refuses_an_unknown_type(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="没有可检索的类型“company”"):
        call_command("search", "rebuild", "--type", "company")


def test_search_page_shows_scoped_results_with_counts(indexed, client_as):
    body = client_as("district_officer").get("/core/search/", {"q": "动漫"}).content.decode()
    assert "天津动漫产业有限公司" in body and "天津滨海乙动漫科技有限公司" not in body
    assert "企业 (1)" in body
    assert client_as("expert_reviewer").get("/core/search/", {"q": "动漫"}).content.decode().count(
        "/registry/enterprises/") == 0


def test_enterprise_list_q_uses_the_index_and_scope(indexed, client_as):
    city = client_as("city_admin").get("/registry/enterprises/", {"q": "动漫"}).content.decode()
    assert "天津动漫产业有限公司" in city and "天津滨海乙动漫科技有限公司" in city
    assert "天津滨海丙印务有限公司" not in city
    district = client_as("district_officer").get("/registry/enterprises/", {"q": "动漫"}).content.decode()
    assert "天津动漫产业有限公司" in district and "天津滨海乙动漫科技有限公司" not in district
    api = client_as("city_admin").get("/api/v1/enterprises/", {"q": "广电网络"}).json()
    assert [r["name"] for r in api["results"]] == ["天津广播电视网络有限公司"]


def test_search_api_answers_results_and_facets(indexed, client_as, orgs):
    r = client_as("city_admin").get("/api/v1/search", {"q": "动漫", "type": "enterprise",
                                                         "district": orgs["binhai"].id})
    assert r.status_code == 200
    data = r.json()
    assert [(x["type"], x["title"]) for x in data["results"]] == [("enterprise", "天津滨海乙动漫科技有限公司")]
    assert data["results"][0]["url"] == f"/registry/enterprises/{indexed['ent_b'].pk}/"
    assert data["facets"] == {"type": {"enterprise": 1}, "district": {str(orgs["binhai"].id): 1}}
    other = client_as("district_officer").get("/api/v1/search", {"q": "动漫", "district": orgs["binhai"].id})
    assert other.json()["results"] == []


def test_search_api_refuses_bad_parameters_and_anonymous_callers(indexed, client_as, client):
    r = client_as("city_admin").get("/api/v1/search", {"q": "动漫", "type": "company"})
    assert r.status_code == 400 and "company" in r.json()["errors"]["type"][0]
    assert client_as("city_admin").get("/api/v1/search").status_code == 400
    assert client.get("/api/v1/search", {"q": "动漫"}).status_code in (401, 403)


def test_search_api_is_in_the_openapi_schema(db, client_as, users):
    schema = client_as("city_admin").get("/api/schema/", {"format": "json"}).json()
    params = {p["name"] for p in schema["paths"]["/api/v1/search"]["get"]["parameters"]}
    assert {"q", "type", "district", "sector"} <= params


def test_index_lives_in_the_engine_of_the_database(indexed):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT COUNT(*) FROM core_search_fts WHERE core_search_fts MATCH '\"动漫\"'")
        else:
            cursor.execute("SELECT COUNT(*) FROM core_search_entry WHERE document @@ '动漫'::tsquery")
        assert cursor.fetchone()[0] >= 2


def test_a_prefix_finds_words_first_indexed_after_the_rebuild(indexed, users):
    """PostgreSQL spells a prefix term out as the indexed words starting with it (the word list a trigger keeps):
    a word written after the rebuild is one of them, and the results are those of the prefix term."""
    admin = users["city_admin"]
    ent = indexed["ent_c"]
    Enterprise.objects.filter(pk=ent.pk).update(name="天津滨海丙动漫城有限公司")
    search.index_rows(Enterprise, [ent.pk])
    found = titles(admin, "天津 动漫")
    assert "天津滨海丙动漫城有限公司" in found and "天津动漫产业有限公司" in found
    if connection.vendor == "postgresql":
        from wenzhi.core.search.backends import backend

        spelt = backend().prefix_words("动漫")  # type: ignore[attr-defined]  # PostgreSQL's backend only
        assert spelt is not None and "动漫" in spelt
        assert all(word.startswith("动漫") for word in spelt)


def test_renaming_a_park_or_a_district_indexes_again_the_rows_that_show_its_name(
        indexed, users, orgs, django_capture_on_commit_callbacks):
    admin = users["city_admin"]
    assert titles(admin, "琥珀", type_keys=["enterprise"]) == []
    with django_capture_on_commit_callbacks(execute=True):
        services.park_update(actor=admin, park=indexed["park_a"], data={"name": "测试琥珀园区"})
    # the enterprise in the park is found by the park's new name, not only the park itself
    assert set(titles(admin, "琥珀")) == {"测试琥珀园区", "天津和平甲文化传媒有限公司"}

    binhai = orgs["binhai"]
    binhai.name = "滨海翡翠新区"
    with django_capture_on_commit_callbacks(execute=True):
        binhai.save(update_fields=["name"])
    found = set(titles(admin, "翡翠"))
    assert {"天津滨海乙动漫科技有限公司", "天津滨海丙印务有限公司", "天津广播电视网络有限公司", "测试园区乙",
            indexed["talent_b"].name} <= found
    assert "天津动漫产业有限公司" not in found  # 和平区
    # a save that leaves the name alone indexes nothing again
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        binhai.save(update_fields=["is_active"])
    assert callbacks == []


def test_an_enterprise_user_finds_the_park_its_enterprise_sits_in(indexed, users):
    # as the park list shows it (selectors.park_list), and no other park
    assert titles(users["enterprise_user"], "测试", type_keys=["park"]) == ["测试园区甲"]
    assert titles(users["enterprise_user"], "测试园区乙") == []


def test_result_lines_are_in_the_readers_language(indexed, users):
    from django.utils import translation

    from ..choices import Sector

    ent = indexed["ent_b"]
    with translation.override("zh-hans"):
        chinese = str(Sector(ent.sector).label)
        [hit] = [h for h in search.search(users["city_admin"], "滨海乙动漫", type_keys=["enterprise"]).hits if h.id == ent.pk]
        assert chinese in hit.snippet
    with translation.override("en"):
        english = str(Sector(ent.sector).label)
        [hit] = [h for h in search.search(users["city_admin"], "滨海乙动漫", type_keys=["enterprise"]).hits if h.id == ent.pk]
    assert english != chinese
    assert english in hit.snippet and chinese not in hit.snippet
    assert ent.credit_code in hit.snippet


def test_setup_fills_an_index_that_holds_only_some_rows_of_a_type(registry, users):
    """A new database's demo data indexes only the rows it saved one by one; setup then rebuilds the index."""
    from wenzhi.core.management.commands.setup import Command

    SearchEntry.objects.all().delete()
    search.index_rows(Enterprise, [registry["ent_a"].pk])
    assert titles(users["city_admin"], "印务") == []
    Command().index_for_search()
    assert titles(users["city_admin"], "印务") == ["天津滨海丙印务有限公司"]
    assert SearchEntry.objects.filter(type="enterprise").count() == Enterprise.objects.count()
