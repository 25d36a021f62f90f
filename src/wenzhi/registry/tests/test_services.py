import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wenzhi.core.choices import Level

from .. import services
from ..choices import ClassificationSource, ParkLevel, ParkStatus
from ..models import Enterprise, ParkTransition
from .factories import EnterpriseFactory, ParkFactory, valid_credit_code


def test_enterprise_create_classifies_and_creates_its_organisation(orgs):
    e = services.enterprise_create(actor=None, name="天津文智数字文化有限公司", district=orgs["heping"],
                                   park=orgs["park_a"], credit_code=valid_credit_code(),
                                   industry_code="6572", business_scope="动漫设计；人工智能内容生成")
    assert e.organisation.level == Level.ENTERPRISE and e.organisation.parent == orgs["park_a"]
    assert e.culture_subcategory == "024" and e.classification_source == ClassificationSource.GBT_MAPPING
    assert e.intelligent_score > 0 and e.name_key == "文智数字文化"
    assert e.history.count() == 1


def test_enterprise_create_rejects_a_bad_credit_code_and_leaves_nothing(orgs):
    with pytest.raises(ValidationError) as exc:
        services.enterprise_create(actor=None, name="天津错码文化有限公司", district=orgs["heping"],
                                   credit_code="91310110666007217A")
    assert "第 18 位应为 T" in str(exc.value)
    assert not Enterprise.objects.filter(name="天津错码文化有限公司").exists()
    assert not orgs["heping"].children.filter(name="天津错码文化有限公司").exists()


def test_park_must_be_in_the_district(orgs):
    with pytest.raises(ValidationError):
        EnterpriseFactory(district=orgs["heping"], park=orgs["park_b"])


def test_enterprise_user_changes_only_profile_fields(registry, users):
    ent = registry["ent_a"]
    user = users["enterprise_user"]
    services.enterprise_update(actor=user, enterprise=ent, data={"business_scope": "动漫设计；游戏开发"})
    ent.refresh_from_db()
    assert ent.business_scope == "动漫设计；游戏开发"
    assert ent.history.first().history_user == user
    with pytest.raises(PermissionDenied):
        services.enterprise_update(actor=user, enterprise=ent, data={"name": "别的名字"})


def test_rename_keeps_the_former_name(registry, users):
    ent = registry["ent_a"]
    services.enterprise_update(actor=users["city_admin"], enterprise=ent, data={"name": "天津和平甲新名称有限公司"})
    ent.refresh_from_db()
    assert ent.former_names == ["天津和平甲文化传媒有限公司"] and ent.organisation.name == "天津和平甲新名称有限公司"


def test_override_needs_a_reason_and_survives_reclassification(registry, users):
    ent = registry["ent_a"]
    officer = users["district_officer"]
    with pytest.raises(ValidationError):
        services.enterprise_override_classification(actor=officer, enterprise=ent, culture_subcategory="032",
                                                    sector="creative_design", reason="")
    with pytest.raises(PermissionDenied):
        services.enterprise_override_classification(actor=users["enterprise_user"], enterprise=ent,
                                                    culture_subcategory="032", sector="creative_design",
                                                    reason="自己认定自己")
    services.enterprise_override_classification(actor=officer, enterprise=ent, culture_subcategory="032",
                                                sector="creative_design", reason="主营品牌设计，经实地核查")
    services.enterprise_update(actor=officer, enterprise=ent, data={"business_scope": "广告发布"})
    ent.refresh_from_db()
    assert (ent.culture_subcategory, ent.classification_source) == ("032", ClassificationSource.OVERRIDE)
    assert "实地核查" in ent.history.first().history_change_reason or ent.history.filter(
        history_change_reason__contains="实地核查").exists()
    services.enterprise_clear_override(actor=officer, enterprise=ent, reason="恢复")
    ent.refresh_from_db()
    assert ent.culture_subcategory == "031" and not ent.classification_override


def test_year_figures_refresh_latest_columns(registry):
    ent = registry["ent_a"]
    services.enterprise_figure_set(actor=None, enterprise=ent, year=2017, revenue=Decimal("100.50"), employees=10)
    services.enterprise_figure_set(actor=None, enterprise=ent, year=2018, revenue=Decimal("220.00"), employees=12)
    services.enterprise_figure_set(actor=None, enterprise=ent, year=2018, revenue=Decimal("230.00"), employees=13)
    ent.refresh_from_db()
    assert (ent.latest_year, ent.latest_revenue, ent.latest_employees) == (2018, Decimal("230.00"), 13)
    assert ent.year_figures.count() == 2
    assert ent.history.first().history_change_reason == "填报 2018 年度数据"


def test_park_create_makes_a_park_organisation(orgs):
    park = ParkFactory(district=orgs["binhai"])
    assert park.organisation.level == Level.PARK and park.organisation.district == orgs["binhai"]


def test_park_state_machine_allows_only_declared_transitions(registry, users):
    park = registry["park_a"]
    admin, officer, operator = users["city_admin"], users["district_officer"], users["park_operator"]
    with pytest.raises(ValidationError):  # not declared from "designated"
        services.park_transition(actor=admin, park=park, transition="accept_rectification", reason="x")
    with pytest.raises(ValidationError):
        services.park_transition(actor=admin, park=park, transition="teleport", reason="x")
    with pytest.raises(PermissionDenied):  # warning is the city's
        services.park_transition(actor=officer, park=park, transition="warn", reason="x")
    with pytest.raises(ValidationError):  # a reason is required
        services.park_transition(actor=admin, park=park, transition="warn", reason=" ")
    services.park_transition(actor=admin, park=park, transition="warn", reason="2018 年度评价 62 分",
                             happened_on=dt.date(2019, 4, 1))
    services.park_transition(actor=operator, park=park, transition="submit_rectification", reason="已整改")
    services.park_transition(actor=admin, park=park, transition="accept_rectification", reason="复核通过")
    services.park_transition(actor=admin, park=park, transition="upgrade", reason="评价优秀")
    park.refresh_from_db()
    assert (park.status, park.level) == (ParkStatus.UPGRADED, ParkLevel.NATIONAL)
    with pytest.raises(ValidationError):  # national parks cannot upgrade further
        services.park_transition(actor=admin, park=park, transition="upgrade", reason="再晋级")
    steps = list(ParkTransition.objects.filter(park=park).order_by("created_at").values_list("transition", flat=True))
    assert steps == ["warn", "submit_rectification", "accept_rectification", "upgrade"]
    assert ParkTransition.objects.get(park=park, transition="warn").happened_on == dt.date(2019, 4, 1)
    services.park_transition(actor=admin, park=park, transition="revoke", reason="严重违规")
    with pytest.raises(ValidationError):  # revoked is final
        services.park_transition(actor=admin, park=park, transition="designate", reason="重新命名")


def test_other_district_officer_cannot_act_on_a_park(registry, users):
    with pytest.raises(PermissionDenied):
        services.park_evaluate(actor=users["other_district"], park=registry["park_a"], year=2018,
                               scores={"management": 10})


def test_park_evaluation_scores_and_outcome(registry, users):
    ev = services.park_evaluate(actor=users["district_officer"], park=registry["park_a"], year=2018,
                                scores={"management": 18, "clustering": 22, "performance": 20, "innovation": 12,
                                        "public_service": 14}, reason="良好")
    assert (ev.total, ev.outcome) == (Decimal("86.0"), "excellent")
    with pytest.raises(ValidationError):
        services.park_evaluate(actor=users["city_admin"], park=registry["park_a"], year=2018,
                               scores={"management": 25, "clustering": 0, "performance": 0, "innovation": 0,
                                       "public_service": 0})


def test_directory_membership_history_tags_and_publish(registry, users):
    admin = users["city_admin"]
    directory, ent = registry["directory"], registry["ent_b"]
    with pytest.raises(ValidationError):  # nothing to publish yet
        services.directory_publish(actor=admin, directory=directory)
    entry = services.directory_entry_add(actor=admin, directory=directory, enterprise=ent, reason="出口额居前")
    services.directory_entry_add(actor=admin, directory=directory, project_name="津门文化海外推广项目")
    ent.refresh_from_db()
    assert ent.export_key
    with pytest.raises(ValidationError):
        services.directory_entry_add(actor=admin, directory=directory, enterprise=ent)
    with pytest.raises(PermissionDenied):
        services.directory_publish(actor=users["district_officer"], directory=directory)
    services.directory_publish(actor=admin, directory=directory)
    assert directory.published
    services.directory_entry_remove(actor=admin, entry=entry, reason="企业注销")
    ent.refresh_from_db()
    assert not ent.export_key
    assert directory.entries.count() == 2 and directory.entries.filter(removed_on__isnull=False).count() == 1
