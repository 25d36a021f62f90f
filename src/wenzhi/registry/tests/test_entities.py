"""`wenzhi nlp entities` links registry rows found in text."""

import io
import json

import pytest

from wenzhi.core import hooks


@pytest.mark.django_db
def test_registry_enterprises_and_districts_are_linkable(orgs, users):
    from wenzhi.registry.services import enterprise_create

    ent = enterprise_create(actor=users["city_admin"], name="天津广播电视网络有限公司",
                            credit_code="", district=orgs["heping"], park=None,
                            business_scope="广播电视节目传输")
    entities = hooks.entities_for_linking()
    ids = {e.id for e in entities}
    assert f"enterprise:{ent.pk}" in ids
    assert any(e.kind == "district" and e.name == "和平区" for e in entities)


@pytest.mark.django_db
def test_nlp_entities_command_reads_the_registry(orgs, users, monkeypatch):
    from wenzhi.registry.services import enterprise_create

    ent = enterprise_create(actor=users["city_admin"], name="天津广播电视网络有限公司", credit_code="",
                            district=orgs["heping"], park=None, business_scope="广播电视节目传输")
    stdin = io.BytesIO(json.dumps({"id": "a", "text": "天津广播电视网络有限公司在和平区推出智慧社区服务"},
                                  ensure_ascii=False).encode() + b"\n")
    out = io.BytesIO()
    from wenzhi.nlp.cli import main

    code = main(["entities"], stdin=stdin, stdout=out, entity_source=hooks.entities_for_linking)
    assert code == 0
    line = json.loads(out.getvalue().decode().splitlines()[0])
    linked = {m["entity_id"] for m in line["mentions"]}
    assert f"enterprise:{ent.pk}" in linked

