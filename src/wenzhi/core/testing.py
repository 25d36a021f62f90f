"""pytest fixtures shared by every app: organisations and one user per role, in two districts."""

from __future__ import annotations

import pytest

from .choices import Level, Role


@pytest.fixture
def reference_data(db):
    """The city and its districts; reloaded when a transactional test (live server) flushed them."""
    from . import hooks
    from .models import Organisation
    from .reference import load_divisions

    load_divisions(Organisation)
    for loader in hooks.reference_loaders():
        loader()


@pytest.fixture
def tianjin(reference_data):
    from .models import Organisation

    return Organisation.objects.get(level=Level.CITY)


@pytest.fixture
def heping(reference_data):
    from .models import Organisation

    return Organisation.objects.get(level=Level.DISTRICT, name="和平区")


@pytest.fixture
def binhai(reference_data):
    from .models import Organisation

    return Organisation.objects.get(level=Level.DISTRICT, name="滨海新区")


@pytest.fixture
def orgs(heping, binhai):
    """A park and an enterprise in each of 和平区 and 滨海新区."""
    from .services import organisation_create

    park_a = organisation_create(name="测试园区甲", level=Level.PARK, parent=heping, code="T-PARK-A")
    park_b = organisation_create(name="测试园区乙", level=Level.PARK, parent=binhai, code="T-PARK-B")
    ent_a = organisation_create(name="测试企业甲", level=Level.ENTERPRISE, parent=park_a, code="T-ENT-A")
    ent_b = organisation_create(name="测试企业乙", level=Level.ENTERPRISE, parent=park_b, code="T-ENT-B")
    return {"heping": heping, "binhai": binhai, "park_a": park_a, "park_b": park_b,
            "ent_a": ent_a, "ent_b": ent_b}


ROLE_ORG = {
    Role.CITY_ADMIN: "city",
    Role.DISTRICT_OFFICER: "heping",
    Role.PARK_OPERATOR: "park_a",
    Role.ENTERPRISE_USER: "ent_a",
    Role.EXPERT_REVIEWER: None,
    Role.MEDIA_EDITOR: None,
    Role.PUBLIC: None,
}


@pytest.fixture
def users(orgs, tianjin):
    """One user per role (``users[role]``), plus ``users['other_district']`` in 滨海新区."""
    from .services import user_create

    out = {}
    for role, key in ROLE_ORG.items():
        org = tianjin if key == "city" else (orgs[key] if key else None)
        out[str(role)] = user_create(username=f"u_{role}", password="pw-Test-12345", roles=[role],
                                     organisation=org)
    out["other_district"] = user_create(username="u_district_b", password="pw-Test-12345",
                                        roles=[Role.DISTRICT_OFFICER], organisation=orgs["binhai"])
    return out


@pytest.fixture
def client_as(client, users):
    """``client_as(role)`` returns a test client signed in as that role's user."""

    def make(role: str):
        from django.test import Client

        c = Client()
        c.force_login(users[role])
        return c

    return make
