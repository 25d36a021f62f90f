"""Authorization matrix of the central kitchen, generated from the permission table (see ``core.testing``).

Every kitchen page and API endpoint × user (each role, the other district's officer, anonymous) × method is its
own case; the expected answer comes from ``can(user, action, row)``: media editors and the city administrator
run the newsroom (only the city withdraws and keeps the word list), the public role submits and reads its own
submissions, everybody reads the published articles.
"""

import pytest

from wenzhi.core.testing import (
    build_orgs,
    build_users,
    check_matrix_case,
    matrix_clients,
    matrix_params,
    module_data,
)

SAMPLES = {
    "media_kitchen:story_detail": "story", "media_kitchen:story_edit": "story",
    "media_kitchen:versions_redraft": "story", "media_kitchen:story_submit": "story",
    "media_kitchen:story_approve": "story", "media_kitchen:story_return": "story",
    "media_kitchen:story_publish": "story", "media_kitchen:story_withdraw": "story",
    "media_kitchen:version_edit": "version", "media_kitchen:article": "article",
    "media_kitchen:submission_detail": "submission", "media_kitchen:submission_moderate": "submission",
    "media_kitchen:word_edit": "word", "media_kitchen:story_found": "published",
    "kitchen-story-detail": "story", "kitchen-story-redraft": "story", "kitchen-story-events": "story",
    "kitchen-story-check": "story", "kitchen-story-submit": "story", "kitchen-story-approve": "story",
    "kitchen-story-send-back": "story", "kitchen-story-publish": "story", "kitchen-story-withdraw": "story",
    "kitchen-version-detail": "version", "kitchen-submission-detail": "submission",
    "kitchen-submission-moderate": "submission", "kitchen-word-detail": "word",
}


def _kitchen(route) -> bool:
    return route.name.startswith(("media_kitchen:", "kitchen-"))


PARAMS = [p for p in matrix_params("media", SAMPLES) if _kitchen(p.values[0])]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from .. import services

    with module_data(django_db_blocker):
        orgs = build_orgs()
        users = build_users(orgs, orgs["city"])
        editor, admin = users["media_editor"], users["city_admin"]
        published = services.story_create(actor=editor, title="矩阵已发布稿件", body="矩阵测试正文，二十个字以上的一段新闻内容。")
        services.story_transition(actor=editor, story=published, transition="submit")
        services.story_transition(actor=admin, story=published, transition="approve")
        services.story_transition(actor=editor, story=published, transition="publish")
        story = services.story_create(actor=editor, title="矩阵稿件", body="矩阵测试正文，二十个字以上的一段新闻内容。")
        submission = services.submission_create(actor=users["public"], title="矩阵投稿", body="市民投稿内容")
        word = services.sensitive_word_save(actor=admin, data={"word": "矩阵词", "level": "review"})
        rows = {"story": story, "version": story.versions.get(channel="weibo"),
                "article": published.versions.get(channel="website"), "published": published, "submission": submission, "word": word}
        yield {"rows": rows, "users": users, "clients": matrix_clients(users)}


def test_every_kitchen_route_with_an_id_has_a_sample_row():
    from wenzhi.core.testing import project_routes

    missing = [r.name for r in project_routes() if _kitchen(r) and r.params and r.name not in SAMPLES]
    assert not missing


def test_the_kitchen_has_routes_in_the_matrix():
    assert len(PARAMS) > 300


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "user", "method", "act", "sample"), PARAMS)
def test_kitchen_matrix(world, route, user, method, act, sample):
    row = world["rows"][sample] if sample else None
    check_matrix_case(route, user, method, act, row, world["users"], world["clients"])
