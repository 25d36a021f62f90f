"""Sensitive-word moderation with the Aho-Corasick automaton: one pass, folded text, positions in the original."""

import pytest
from django.core.exceptions import ValidationError

from wenzhi.media.kitchen import moderation, services
from wenzhi.media.kitchen.choices import SubmissionStatus
from wenzhi.media.kitchen.models import SensitiveWord


def test_the_automaton_finds_every_word_in_one_pass_even_split_by_spaces_or_full_width():
    words = moderation.WordList([("赌博", "block", ""), ("维权", "review", ""), ("ABC", "review", "")])
    text = "有人在群里组织赌 博，还有人喊维权，ａｂｃ也在。"
    hits = words.find(text)
    assert [h.word for h in hits] == ["赌博", "维权", "ABC"]
    assert text[hits[0].start:hits[0].end] == "赌 博"
    assert text[hits[2].start:hits[2].end] == "ａｂｃ"
    assert moderation.blocking(hits) == ["赌博"]


def test_overlapping_words_are_all_reported():
    words = moderation.WordList([("文化节", "review", ""), ("化节", "review", "")])
    assert {h.word for h in words.find("社区文化节")} == {"文化节", "化节"}


def test_uses_the_aho_corasick_library():
    words = moderation.WordList([("赌博", "block", "")])
    assert type(words.automaton).__module__ == "ahocorasick"


@pytest.mark.django_db
def test_a_prohibited_word_refuses_the_submission_naming_it(citizen, admin):
    services.sensitive_word_save(actor=admin, data={"word": "诈骗", "level": "block", "category": "",
                                                    "note": "", "is_active": True})
    with pytest.raises(ValidationError) as err:
        services.submission_create(actor=citizen, title="投稿", body="有人冒充剧院诈 骗观众")
    assert "诈骗" in str(err.value)


@pytest.mark.django_db
def test_a_word_to_watch_is_kept_for_the_moderator_and_an_edit_of_the_list_applies_at_once(citizen, admin, editor):
    word = services.sensitive_word_save(actor=admin, data={"word": "停演", "level": "review", "category": "",
                                                           "note": "", "is_active": True})
    sub = services.submission_create(actor=citizen, title="小剧场停演", body="演出临时停演。")
    assert sub.status == SubmissionStatus.PENDING
    assert [(h["field"], h["word"]) for h in sub.hits] == [("title", "停演"), ("body", "停演")]
    services.sensitive_word_save(actor=admin, word=word, data={"level": "block"})
    with pytest.raises(ValidationError):
        services.submission_create(actor=citizen, title="又停演了", body="再次停演。")
    adopted = services.submission_moderate(actor=editor, submission=sub, accept=True)
    assert adopted.story.origin == "user" and adopted.story.versions.count() == 5


@pytest.mark.django_db
def test_only_the_city_keeps_the_list_and_only_citizens_submit(editor, citizen, admin):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.sensitive_word_save(actor=editor, data={"word": "x", "level": "block"})
    with pytest.raises(PermissionDenied):
        services.submission_create(actor=editor, title="t", body="b")
    assert services.sensitive_words_add(actor=admin, text="甲词\n乙词，丙词", level="review") == 3
    assert SensitiveWord.objects.count() == 3
