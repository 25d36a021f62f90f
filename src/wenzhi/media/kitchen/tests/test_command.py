"""``wenzhi media_stories``: drafts a machine-written story from the command line, or says why not."""

import pytest
from django.core.management import call_command

from wenzhi.media.kitchen.models import Story

from .conftest import publish_list

pytestmark = pytest.mark.django_db


def test_the_command_drafts_a_key_project_announcement(editor, reference_data, capsys):
    publish_list(2026, [("数字文博馆", "和平区", "city_key")])
    call_command("media_stories", "--kind", "key_projects", "--year", "2026", "--user", editor.username)
    story = Story.objects.get()
    assert story.origin == "machine" and story.author == editor and story.status == "draft"
    assert f"#{story.pk}" in capsys.readouterr().out


def test_the_command_refuses_a_kind_that_is_off(editor, capsys):
    with pytest.raises(SystemExit) as stop:
        call_command("media_stories", "--kind", "cinema_weekly")
    assert stop.value.code == 1 and "影院" in capsys.readouterr().err
    assert not Story.objects.exists()
