"""Authorization matrix of the registry: every page and API endpoint × every role → the expected status.

Rows: ``ent_a``/``park_a``/``talent_a`` are in 和平区 (the district officer's, park operator's and enterprise
user's own); ``ent_b``/``park_b``/``talent_b`` are in 滨海新区. Expected: 200 allowed, 302 to the login page
for anonymous users, 403 for roles that see no registry rows, 404 for rows outside the user's scope.
"""

import pytest
from django.test import Client

ROLES = ["city_admin", "district_officer", "park_operator", "enterprise_user", "expert_reviewer", "media_editor",
         "public", "anonymous"]
OFFICIALS_ONLY = [200, 200, 200, 403, 403, 403, 403, 302]
READERS = [200, 200, 200, 200, 403, 403, 403, 302]
CITY_DISTRICT = [200, 200, 403, 403, 403, 403, 403, 302]
CITY_ONLY = [200, 403, 403, 403, 403, 403, 403, 302]
OWN_SCOPE_ONLY = [200, 404, 404, 404, 403, 403, 403, 302]

# (url name, args from the fixture, expected status per role in ROLES order)
PAGES = [
    ("enterprise_list", [], READERS),
    ("enterprise_create", [], CITY_DISTRICT),
    ("park_create", [], CITY_ONLY),
    ("directory_create", [], CITY_ONLY),
    ("my_enterprise", [], [404, 404, 404, 302, 404, 404, 404, 302]),
    ("enterprise_detail", ["ent_a"], READERS),
    ("enterprise_detail", ["ent_b"], OWN_SCOPE_ONLY),
    ("enterprise_edit", ["ent_a"], READERS),
    ("enterprise_edit", ["ent_b"], OWN_SCOPE_ONLY),
    ("park_list", [], READERS),
    ("park_detail", ["park_a"], READERS),
    ("park_detail", ["park_b"], OWN_SCOPE_ONLY),
    ("park_evaluate", ["park_a"], CITY_DISTRICT),
    ("park_edit", ["park_a"], CITY_DISTRICT),
    ("park_edit", ["park_b"], [200, 404, 404, 404, 403, 403, 403, 302]),
    ("park_evaluate", ["park_b"], [200, 404, 404, 404, 403, 403, 403, 302]),
    ("talent_list", [], OFFICIALS_ONLY),
    ("talent_detail", ["talent_a"], OFFICIALS_ONLY),
    ("talent_detail", ["talent_b"], [200, 404, 404, 403, 403, 403, 403, 302]),
    ("training_list", [], OFFICIALS_ONLY),
    ("training_detail", ["training"], OFFICIALS_ONLY),
    ("directory_list", [], [200, 200, 200, 200, 200, 200, 200, 302]),
    ("directory_detail", ["directory"], [200, 404, 404, 404, 404, 404, 404, 302]),
    ("directory_detail", ["published"], [200, 200, 200, 200, 200, 200, 200, 302]),
    ("directory_publish", ["directory"], CITY_ONLY),
    ("directory_unpublish", ["published"], CITY_ONLY),
    ("public_directories", [], [200] * 8),
    ("public_directory", ["published"], [200] * 8),
    ("public_directory", ["directory"], [404] * 8),
    ("industry_codes", [], OFFICIALS_ONLY),
    ("culture_categories", [], OFFICIALS_ONLY),
]
# POST-only routes: (name, args, data, expected per role)
POSTS = [
    ("enterprise_override", ["ent_b"], {"culture_subcategory": "032", "sector": "creative_design",
                                        "reason": "经核查主营设计"}, [302, 404, 404, 404, 403, 403, 403, 302]),
    ("enterprise_override", ["ent_a"], {"culture_subcategory": "032", "sector": "creative_design",
                                        "reason": "经核查主营设计"}, [302, 302, 403, 403, 403, 403, 403, 302]),
    ("enterprise_reclassify", ["ent_a"], {}, [302, 302, 403, 403, 403, 403, 403, 302]),
    ("enterprise_tags", ["ent_a"], {"srdi": "on"}, [302, 302, 403, 403, 403, 403, 403, 302]),
    ("enterprise_figure", ["ent_a"], {"year": 2018, "revenue": "12.5", "employees": 3},
     [302, 302, 302, 302, 403, 403, 403, 302]),
    ("enterprise_figure", ["ent_b"], {"year": 2018}, [302, 404, 404, 404, 403, 403, 403, 302]),
    ("park_transition", ["park_b"], {"transition": "warn", "reason": "评价不合格"},
     [302, 404, 404, 404, 403, 403, 403, 302]),
    ("directory_entry_add", ["directory"], {"project_name": "测试项目"}, [302, 403, 403, 403, 403, 403, 403, 302]),
    ("directory_publish", ["directory"], {"confirm": "yes"}, [302, 403, 403, 403, 403, 403, 403, 302]),
    ("directory_unpublish", ["published"], {"reason": "名录需要修订"}, [302, 403, 403, 403, 403, 403, 403, 302]),
    ("directory_entry_remove", ["entry"], {"reason": "测试"}, [302, 403, 403, 403, 403, 403, 403, 302]),
]
APIS = [
    ("/api/v1/enterprises/", [], [200, 200, 200, 200, 403, 403, 403, 401]),
    ("/api/v1/enterprises/{}/", ["ent_a"], [200, 200, 200, 200, 403, 403, 403, 401]),
    ("/api/v1/enterprises/{}/", ["ent_b"], [200, 404, 404, 404, 403, 403, 403, 401]),
    ("/api/v1/parks/", [], [200, 200, 200, 200, 403, 403, 403, 401]),
    ("/api/v1/parks/{}/", ["park_b"], [200, 404, 404, 404, 403, 403, 403, 401]),
    ("/api/v1/parks/{}/evaluations/", ["park_a"], [200, 200, 200, 200, 403, 403, 403, 401]),
    ("/api/v1/talents/", [], [200, 200, 200, 403, 403, 403, 403, 401]),
    ("/api/v1/talents/{}/", ["talent_b"], [200, 404, 404, 403, 403, 403, 403, 401]),
    ("/api/v1/directories/", [], [200, 200, 200, 200, 200, 200, 200, 401]),
    ("/api/v1/directories/{}/", ["directory"], [200, 404, 404, 404, 404, 404, 404, 401]),
    ("/api/v1/directories/{}/entries/", ["published"], [200, 200, 200, 200, 200, 200, 200, 401]),
]


@pytest.fixture
def world(registry, users):
    from .. import services
    from ..models import DirectoryEntry

    admin = users["city_admin"]
    published = services.directory_create(actor=admin, kind="leading", year=2018, name="2018 年领军企业名录")
    services.directory_entry_add(actor=admin, directory=published, enterprise=registry["ent_b"])
    services.directory_publish(actor=admin, directory=published)
    training = services.training_programme_create(actor=admin, name="创意策划研修班", team="creative_planning",
                                                  year=2018)
    entry = services.directory_entry_add(actor=admin, directory=registry["directory"], project_name="已有项目")
    objects = {**registry, "published": published, "training": training,
               "entry": DirectoryEntry.objects.get(pk=entry.pk)}
    clients = {}
    for role in ROLES:
        c = Client()
        if role != "anonymous":
            c.force_login(users[role])
        clients[role] = c
    return objects, clients


def _reverse(name, args, objects):
    from django.urls import reverse

    return reverse(f"registry:{name}", args=[objects[a].pk for a in args])


@pytest.mark.django_db
def test_pages_matrix(world):
    objects, clients = world
    problems = []
    for name, args, expected in PAGES:
        url = _reverse(name, args, objects)
        for role, want in zip(ROLES, expected, strict=True):
            got = clients[role].get(url).status_code
            if got != want:
                problems.append(f"GET {url} as {role}: {got}, expected {want}")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_post_matrix(world):
    objects, clients = world
    problems = []
    for name, args, data, expected in POSTS:
        url = _reverse(name, args, objects)
        for role, want in zip(ROLES, expected, strict=True):
            got = clients[role].post(url, data).status_code
            if got != want:
                problems.append(f"POST {url} as {role}: {got}, expected {want}")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_api_matrix(world):
    objects, clients = world
    problems = []
    for pattern, args, expected in APIS:
        url = pattern.format(*[objects[a].pk for a in args])
        for role, want in zip(ROLES, expected, strict=True):
            got = clients[role].get(url).status_code
            if got != want:
                problems.append(f"GET {url} as {role}: {got}, expected {want}")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_api_writes_are_scoped(world):
    objects, clients = world
    ent_b = objects["ent_b"]
    r = clients["district_officer"].patch(f"/api/v1/enterprises/{ent_b.pk}/", {"address": "x"},
                                          content_type="application/json")
    assert r.status_code == 404
    r = clients["enterprise_user"].patch(f"/api/v1/enterprises/{objects['ent_a'].pk}/", {"name": "改名"},
                                         content_type="application/json")
    assert r.status_code == 403
    r = clients["enterprise_user"].patch(f"/api/v1/enterprises/{objects['ent_a'].pk}/",
                                         {"business_scope": "动漫设计"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["business_scope"] == "动漫设计"
    r = clients["district_officer"].post("/api/v1/enterprises/", {"name": "天津新登记文化有限公司",
                                                                  "district": ent_b.district_id},
                                         content_type="application/json")
    assert r.status_code == 403
    r = clients["district_officer"].post(f"/api/v1/parks/{objects['park_a'].pk}/transition/",
                                         {"transition": "warn", "reason": "x"}, content_type="application/json")
    assert r.status_code == 403
    r = clients["city_admin"].post(f"/api/v1/parks/{objects['park_a'].pk}/transition/",
                                   {"transition": "accept_rectification", "reason": "x"},
                                   content_type="application/json")
    assert r.status_code == 400
    r = clients["city_admin"].post("/api/v1/enterprises/", {"name": "天津坏码文化有限公司", "district": ent_b.district_id,
                                                            "credit_code": "91310110666007217A"},
                                   content_type="application/json")
    assert r.status_code == 400 and "第 18 位应为 T" in r.content.decode()


def test_every_registry_route_is_in_the_matrix():
    from .. import urls

    names = {p.name for p in urls.urlpatterns if not p.name.startswith("import")}
    covered = {name for name, *_ in PAGES} | {name for name, *_ in POSTS}
    assert names <= covered, names - covered
