from .. import selectors


def test_enterprise_scope_per_role(registry, users):
    ids = lambda role: set(selectors.enterprise_list(user=users[role]).values_list("pk", flat=True))  # noqa: E731
    a, b, c = registry["ent_a"].pk, registry["ent_b"].pk, registry["ent_c"].pk
    assert ids("city_admin") == {a, b, c}
    assert ids("district_officer") == {a}
    assert ids("other_district") == {b, c}
    assert ids("park_operator") == {a}
    assert ids("enterprise_user") == {a}
    for role in ("expert_reviewer", "media_editor", "public"):
        assert ids(role) == set()


def test_parks_talents_and_directories_scope(registry, users):
    assert set(selectors.park_list(user=users["district_officer"])) == {registry["park_a"]}
    assert set(selectors.park_list(user=users["enterprise_user"])) == {registry["park_a"]}
    assert set(selectors.talent_list(user=users["district_officer"])) == {registry["talent_a"]}
    assert set(selectors.talent_list(user=users["park_operator"])) == {registry["talent_a"]}
    assert not selectors.talent_list(user=users["enterprise_user"]).exists()
    assert not selectors.directory_list(user=users["district_officer"]).exists()  # unpublished
    assert selectors.directory_list(user=users["city_admin"]).count() == 1
    assert selectors.sees_personal_fields(users["district_officer"])
    assert not selectors.sees_personal_fields(users["park_operator"])
