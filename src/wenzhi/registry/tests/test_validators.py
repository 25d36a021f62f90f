import pytest

from ..validators import normalise_name, uscc_check_char, uscc_error, uscc_is_valid

# Valid and invalid examples from ../shared/data/standards/uscc.md
VALID = ["91310110666007217T", "91310115591693856A", "91350200776049653A", "91350503MA31DKY80A",
         "91440101MA5CJQ4N59", "913502000728319549", "123502001549897397", "9135021359498494XQ"]
INVALID_PILOT = ["91350211M00013FA1N", "91350203M0001QAY9B"]


@pytest.mark.parametrize("code", VALID)
def test_valid_codes(code):
    assert uscc_is_valid(code)
    assert uscc_check_char(code[:17]) == code[17]


@pytest.mark.parametrize("code", INVALID_PILOT)
def test_pilot_era_codes_fail_the_national_check(code):
    assert not uscc_is_valid(code)


def test_one_wrong_character_is_caught_with_the_expected_check_char():
    code = "91310110666007217T"
    wrong = code[:5] + ("2" if code[5] != "2" else "3") + code[6:]
    message = uscc_error(wrong)
    assert message is not None and "第 18 位应为" in message and "实为 T" in message


@pytest.mark.parametrize("code, expected", [
    ("", "为空"),
    ("9131011066600721", "应为 18 位，实为 16 位"),
    ("9131011O666007217T", "第 8 位有误"),
    ("91310110666007217t", "第 18 位应为大写"),
    ("91310110666007217A", "第 18 位应为 T"),
    ("9131011066600721#T", "第 17 位有误"),
])
def test_precise_messages(code, expected):
    assert expected in (uscc_error(code) or "")


def test_normalise_name_variants_collide():
    variants = ["天津市 文智传媒（有限公司）", "文智传媒有限公司", "天津文智传媒有限责任公司", "文智传媒 （有限公司）",
                "文智传媒(天津)有限公司"]
    assert {normalise_name(v) for v in variants} == {"文智传媒"}
    assert normalise_name("天津文智传媒有限公司") != normalise_name("天津文智影视有限公司")
    assert normalise_name("ＡＢＣ文化") == "ABC文化"
