"""A deleted enterprise's credit code can be registered again (the deleted row keeps it in its history)."""

from django.urls import reverse

from .. import services
from ..models import Enterprise
from .factories import EnterpriseFactory, valid_credit_code


def test_a_deleted_enterprises_credit_code_registers_again(registry, users, orgs):
    code = valid_credit_code()
    old = EnterpriseFactory(name="天津注销后重登记文化有限公司", credit_code=code, district=orgs["heping"])
    services.enterprise_delete(actor=users["city_admin"], enterprise=old, reason="企业迁出本市")

    again = services.enterprise_create(actor=users["city_admin"], name="天津注销后重登记文化有限公司",
                                       credit_code=code, district=orgs["heping"])

    assert again.pk != old.pk and again.organisation.code == code and again.organisation.is_active
    old = Enterprise.all_objects.get(pk=old.pk)
    assert old.is_deleted and old.credit_code == code
    assert not old.organisation.is_active


def test_the_registration_page_accepts_a_deleted_enterprises_code(registry, users, orgs, client_as):
    code = registry["ent_c"].credit_code
    services.enterprise_delete(actor=users["city_admin"], enterprise=registry["ent_c"], reason="重复登记")
    response = client_as("city_admin").post(reverse("registry:enterprise_create"), {
        "name": "天津滨海丙印务有限公司", "credit_code": code, "district": orgs["binhai"].pk})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Enterprise.objects.get(credit_code=code).name == "天津滨海丙印务有限公司"
    # a live enterprise's code is still refused, with the page's own message
    response = client_as("city_admin").post(reverse("registry:enterprise_create"), {
        "name": "另一家公司", "credit_code": code, "district": orgs["binhai"].pk})
    assert "登记库中已有该统一社会信用代码的企业" in response.content.decode()


def test_an_import_registers_a_deleted_enterprises_code_again(registry, users, tmp_path):
    from .test_enterprise_import import _dry, row, run_cli, xlsx

    code = registry["ent_c"].credit_code
    services.enterprise_delete(actor=users["city_admin"], enterprise=registry["ent_c"], reason="重复登记")
    rows = [row("天津滨海丙印务有限公司", code, district="滨海新区")]
    _, result = _dry(users["city_admin"], xlsx(rows))
    assert not result.errors and result.to_create == 1
    status, _out, err = run_cli(xlsx(rows, path=tmp_path / "again.xlsx"), "--kind", "enterprise", "--year", "2020")
    assert status == 0, err
    again = Enterprise.objects.get(credit_code=code)
    assert again.pk != registry["ent_c"].pk and again.organisation.code == code
