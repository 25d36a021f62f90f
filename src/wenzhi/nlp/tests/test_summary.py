from wenzhi.nlp.summary import split_sentences, summarize

TEXT = (
    "天津市文化和旅游局近日发布消息，国家动漫产业综合示范园今年新增入驻企业50家。"
    "示范园位于滨海新区，是动漫产业园区。"
    "园区动漫企业营业收入同比增长20%！"
    "今天天气晴朗。"
    "下一步，园区将继续推进动漫产业发展？"
)


def test_split_keeps_punctuation():
    sents = split_sentences("第一句。第二句！“第三句？”第四句")
    assert sents == ["第一句。", "第二句！", "“第三句？”", "第四句"]


def test_summary_picks_central_sentences_in_order():
    out = summarize([TEXT], max_sentences=2)[0]
    sents = split_sentences(out)
    assert len(sents) == 2
    assert "今天天气晴朗。" not in sents  # the off-topic sentence is never central
    assert TEXT.index(sents[0]) < TEXT.index(sents[1])


def test_short_and_empty_texts():
    assert summarize(["", "只有一句。"], max_sentences=3) == ["", "只有一句。"]
