"""Channel length rules and drafting from the master (plain strings, no database)."""

from wenzhi.media.kitchen import channels
from wenzhi.media.kitchen.choices import Channel

LONG_BODY = ("海河文化创意周今日在和平区开幕，百余家文化企业集中展示虚拟现实、数字文博、网络视听等领域的新产品。" * 6
             + "\n\n活动期间还将举办项目推介和人才对接活动。")
TITLE = "海河文化创意周开幕 百余家企业集中展示数字文化新成果并发布多项合作计划与年度重点产品名单"


def test_weibo_counts_two_half_width_characters_as_one():
    assert channels.weibo_length("文化" + "ab") == 3
    assert channels.weibo_length("abc") == 2
    assert channels.weibo_length("，。") == 2


def test_every_drafted_version_keeps_its_channel_rules():
    for channel in Channel.values:
        fields = channels.draft(channel, title=TITLE, summary="", body=LONG_BODY)
        assert channels.length_problems(channel, **fields) == {}, channel


def test_weibo_and_push_are_cut_short_and_say_so():
    weibo = channels.draft(Channel.WEIBO, title=TITLE, summary="", body=LONG_BODY)["body"]
    push = channels.draft(Channel.APP_PUSH, title=TITLE, summary="", body=LONG_BODY)["body"]
    assert weibo.startswith("【") and channels.weibo_length(weibo) <= 140
    assert len(push) <= 40 and push.endswith("…")


def test_a_version_over_its_limit_is_named_with_the_count():
    problems = channels.length_problems(Channel.WEIBO, title="", summary="", body="字" * 146)
    assert "146" in problems["body"] and "140" in problems["body"]
    problems = channels.length_problems(Channel.APP_PUSH, title="", summary="", body="字" * 41)
    assert "41" in problems["body"] and "40" in problems["body"]
    assert channels.length_problems(Channel.APP_PUSH, title="", summary="", body="字" * 40) == {}


def test_broadcast_script_reads_percentages_and_drops_brackets():
    fields = channels.draft(Channel.BROADCAST, title="增长", summary="",
                            body="全市增加值同比增长12.3%（初步核算）。详见 https://example.org/x 。")
    assert "百分之十二点三" in fields["body"]
    assert "（" not in fields["body"] and "http" not in fields["body"]
    assert channels.read_number("1005") == "一千零五" and channels.read_number("15") == "十五"
