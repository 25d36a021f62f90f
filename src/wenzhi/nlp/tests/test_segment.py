from wenzhi.nlp.segment import UserDictionary, get_user_dictionary, segment, set_user_words, tokenize

NAME = "天津广播电视网络有限公司"


def test_plain_segmentation_splits_company_name():
    # without the registry the name falls apart (which is why user words exist)
    assert NAME not in segment([NAME + "发布公告"], user_dict=UserDictionary())[0]


def test_user_word_stays_whole_in_context():
    ud = UserDictionary([NAME, "国家动漫产业综合示范园", "棉3创意街区"])
    toks = segment([f"{NAME}在滨海新区国家动漫产业综合示范园和棉3创意街区签约"], user_dict=ud)[0]
    assert NAME in toks
    assert "国家动漫产业综合示范园" in toks
    assert "棉3创意街区" in toks
    assert "".join(toks) == f"{NAME}在滨海新区国家动漫产业综合示范园和棉3创意街区签约"


def test_user_word_with_brackets_stays_whole():
    ud = UserDictionary(["墨语（天津）文化科技有限公司"])
    toks = segment(["墨语（天津）文化科技有限公司举办书法展"], user_dict=ud)[0]
    assert toks[0] == "墨语（天津）文化科技有限公司"
    tags = segment(["墨语（天津）文化科技有限公司举办书法展"], pos=True, user_dict=ud)[0]
    assert tags[0] == ("墨语（天津）文化科技有限公司", "nz")


def test_pos_pairs():
    pairs = segment(["天津举办文化活动"], pos=True)[0]
    assert ("天津", "ns") in pairs
    assert all(isinstance(w, str) and isinstance(t, str) for w, t in pairs)


def test_set_user_words_changes_default():
    old = get_user_dictionary()
    try:
        set_user_words(["灵然创智"])
        assert "灵然创智" in segment(["灵然创智发布新游戏"])[0]
    finally:
        set_user_words(old.words)


def test_empty_and_batch():
    assert segment(["", "文化"]) == [[], ["文化"]]
    assert tokenize(["文化  产业"]) == [["文化", "产业"]]


def test_words_added_after_first_use():
    ud = UserDictionary()
    assert "津彩数字" not in ud.cut(["津彩数字发布"])[0]
    ud.add(["津彩数字"])
    assert "津彩数字" in ud.cut(["津彩数字发布"])[0]
