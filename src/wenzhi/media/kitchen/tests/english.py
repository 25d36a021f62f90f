"""Latin rows of the central kitchen for the English-mode walk (tests/test_english.py)."""

from __future__ import annotations


def latin_kitchen_world(users) -> None:
    """A published story and a draft, a machine-written announcement of the published key-project list, a
    citizen's submission waiting with a word to watch, one declined, and the word list."""
    from wenzhi.media.kitchen import services

    admin, editor, citizen = users["city_admin"], users["media_editor"], users["public"]
    services.sensitive_word_save(actor=admin, data={"word": "strike", "level": "review", "category": "Labour"})
    services.sensitive_word_save(actor=admin, data={"word": "fraud", "level": "block", "category": "Crime"})
    body = "Harbour Culture Week opens with a hundred firms showing digital culture.\n\nTalks run all week."
    story = services.story_create(actor=editor, title="Harbour Culture Week Opens", summary="A week of culture.",
                                  body=body)
    services.story_transition(actor=editor, story=story, transition="submit")
    services.story_transition(actor=admin, story=story, transition="approve")
    services.story_transition(actor=editor, story=story, transition="publish")
    services.story_create(actor=editor, title="Museum Night Draft", body="The museum stays open late on Fridays.")
    services.machine_story_draft(actor=editor, kind="key_projects", params={})
    services.submission_create(actor=citizen, title="Theatre strike", body="A strike closed the small theatre.")
    declined = services.submission_create(actor=citizen, title="Book fair", body="The book fair was lovely.")
    services.submission_moderate(actor=editor, submission=declined, accept=False, reason="Already covered")
