"""Authorization matrix of the registry, generated from the permission table (see ``core.testing``).

Each registry page and API endpoint × user (seven roles, the other district's officer, anonymous) × method is
its own case. The rows requested (``ent_a``, ``park_a``, ...) sit in 和平区, in the park operator's park and
(``ent_a``) the enterprise user's own enterprise; the other district's officer must get 404 (or 403) for them.
The expected answer of each case comes from ``can(user, action, row)``.
"""

import pytest
from django.core.files.base import ContentFile

from wenzhi.core.testing import (
    build_orgs,
    build_users,
    check_matrix_case,
    matrix_clients,
    matrix_params,
    missing_samples,
    module_data,
)

# The row each route with an id is requested with (keys of ``world`` below).
SAMPLES = {
    "registry:enterprise_detail": "ent_a", "registry:enterprise_edit": "ent_a",
    "registry:enterprise_override": "ent_a", "registry:enterprise_reclassify": "ent_a",
    "registry:enterprise_tags": "ent_a", "registry:enterprise_figure": "ent_a",
    "registry:park_detail": "park_a", "registry:park_transition": "park_a", "registry:park_evaluate": "park_a",
    "registry:park_edit": "park_a",
    "registry:talent_detail": "talent_a", "registry:training_detail": "training",
    "registry:directory_detail": "directory", "registry:directory_entry_add": "directory",
    "registry:directory_publish": "directory", "registry:directory_entry_remove": "entry",
    "registry:directory_unpublish": "published",
    "registry:public_directory": "published",
    "registry:import_detail": "import", "registry:import_progress": "import", "registry:import_commit": "import",
    "registry:import_mapping": "import", "registry:import_report": "import", "registry:import_file": "import",
    "enterprise-detail": "ent_a", "enterprise-override-classification": "ent_a", "enterprise-reclassify": "ent_a",
    "park-detail": "park_a", "park-evaluations": "park_a", "park-transition": "park_a",
    "talent-detail": "talent_a",
    "directory-detail": "directory", "directory-entries": "published", "directory-publish": "directory",
    "directory-unpublish": "published",
    "registry-import-detail": "import", "registry-import-commit": "import", "registry-import-problems": "import",
}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The registry rows, users and signed-in clients, built once for the module."""
    from wenzhi.core.models import ImportRecord

    from .. import services
    from ..choices import ParkLevel
    from ..models import Park
    from .factories import DirectoryFactory, EnterpriseFactory, TalentFactory

    with module_data(django_db_blocker):
        orgs = build_orgs()
        park_a = Park.objects.create(organisation=orgs["park_a"], name=orgs["park_a"].name,
                                     level=ParkLevel.MUNICIPAL, kind="industrial_park", district=orgs["heping"])
        Park.objects.create(organisation=orgs["park_b"], name=orgs["park_b"].name, level=ParkLevel.DISTRICT,
                            kind="industrial_park", district=orgs["binhai"])
        ent_a = EnterpriseFactory(name="天津矩阵甲文化传媒有限公司", district=orgs["heping"], park=orgs["park_a"])
        orgs["ent_a"] = ent_a.organisation  # the enterprise user acts for ent_a
        users = build_users(orgs, orgs["city"])
        admin = users["city_admin"]
        published = services.directory_create(actor=admin, kind="leading", year=2018, name="2018 年矩阵领军企业名录")
        services.directory_entry_add(actor=admin, directory=published, enterprise=ent_a)
        services.directory_publish(actor=admin, directory=published)
        directory = DirectoryFactory()
        entry = services.directory_entry_add(actor=admin, directory=directory, project_name="矩阵项目")
        record = ImportRecord.objects.create(kind="enterprise", original_name="矩阵.csv",
                                             created_by=users["district_officer"])
        record.file.save("matrix.csv", ContentFile("企业名称\n天津矩阵文化有限公司\n".encode()), save=True)
        rows = {
            "ent_a": ent_a, "park_a": park_a, "talent_a": TalentFactory(employer=ent_a), "directory": directory,
            "published": published, "entry": entry, "import": record,
            "training": services.training_programme_create(actor=admin, name="矩阵研修班",
                                                           team="creative_planning", year=2018),
        }
        yield {"rows": rows, "users": users, "clients": matrix_clients(users)}


def test_every_registry_route_with_an_id_has_a_sample_row():
    assert not missing_samples("registry", SAMPLES)


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "user", "method", "act", "sample"), matrix_params("registry", SAMPLES))
def test_registry_matrix(world, route, user, method, act, sample):
    row = world["rows"][sample] if sample else None
    check_matrix_case(route, user, method, act, row, world["users"], world["clients"])
