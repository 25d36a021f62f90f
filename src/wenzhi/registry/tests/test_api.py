"""The registry API: scoped reads with filters, writes through the services with Chinese errors."""

from .. import services


def test_enterprise_list_filters_and_scope(registry, client_as):
    admin = client_as("city_admin")
    body = admin.get("/api/v1/enterprises/", {"sector": "animation_games"}).json()
    assert [e["name"] for e in body["results"]] == [registry["ent_b"].name]
    assert body["results"][0]["classification_evidence"]["rule"].startswith("行业代码 6572")
    names = {e["name"] for e in client_as("district_officer").get("/api/v1/enterprises/").json()["results"]}
    assert names == {registry["ent_a"].name}
    detail = admin.get(f"/api/v1/enterprises/{registry['ent_a'].pk}/").json()
    assert detail["year_figures"] == [] and detail["district_name"] == "和平区"


def test_override_and_reclassify_through_the_api(registry, client_as):
    officer = client_as("district_officer")
    url = f"/api/v1/enterprises/{registry['ent_a'].pk}/override-classification/"
    r = officer.post(url, {"culture_subcategory": "032", "sector": "creative_design", "reason": "短"},
                     content_type="application/json")
    assert r.status_code == 400
    r = officer.post(url, {"culture_subcategory": "032", "sector": "creative_design", "reason": "主营品牌设计服务"},
                     content_type="application/json")
    assert r.status_code == 200 and r.json()["classification_source"] == "override"
    r = client_as("enterprise_user").post(url, {"culture_subcategory": "031", "sector": "creative_design",
                                                "reason": "自己改回来"}, content_type="application/json")
    assert r.status_code == 403


def test_park_evaluation_and_transition_through_the_api(registry, client_as):
    park = registry["park_a"]
    officer = client_as("district_officer")
    r = officer.post(f"/api/v1/parks/{park.pk}/evaluations/", {
        "year": 2018, "scores": {"management": 10, "clustering": 12, "performance": 12, "innovation": 8,
                                 "public_service": 8}, "reason": "企业集聚不足"}, content_type="application/json")
    assert r.status_code == 201 and r.json()["outcome"] == "fail"
    admin = client_as("city_admin")
    r = admin.post(f"/api/v1/parks/{park.pk}/transition/", {"transition": "warn", "reason": "2018 年度评价不合格"},
                   content_type="application/json")
    assert r.status_code == 201 and r.json()["to_status"] == "warned"
    assert admin.get(f"/api/v1/parks/{park.pk}/").json()["status"] == "warned"


def test_directory_publish_and_entries(registry, users, client_as):
    directory = registry["directory"]
    services.directory_entry_add(actor=users["city_admin"], directory=directory, enterprise=registry["ent_b"])
    assert client_as("media_editor").get(f"/api/v1/directories/{directory.pk}/").status_code == 404
    r = client_as("district_officer").post(f"/api/v1/directories/{directory.pk}/publish/")
    assert r.status_code == 403  # publishing is the city's action ("directory.publish")
    r = client_as("city_admin").post(f"/api/v1/directories/{directory.pk}/publish/")
    assert r.status_code == 200 and r.json()["published"] and r.json()["entry_count"] == 1
    entries = client_as("media_editor").get(f"/api/v1/directories/{directory.pk}/entries/").json()["results"]
    assert entries[0]["credit_code"] == registry["ent_b"].credit_code
