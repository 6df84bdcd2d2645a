import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from stdnum.cn import ric

from staffing.idnumbers import (
    ID_NUMBER_AREA_CODE,
    ID_NUMBER_BIRTH_DATE,
    ID_NUMBER_BIRTH_DATE_RANGE,
    ID_NUMBER_CHECK_DIGIT,
    ID_NUMBER_FORMAT,
    Gender,
    area_code_ever_existed,
    id_number_agreement_errors,
    id_number_compose,
    id_number_parse,
    mask_id_number,
    mask_phone,
)

VALID = id_number_compose("410102", datetime.date(1990, 1, 2), 123)  # odd sequence: a man


def wrong_check_digit(number):
    return number[:-1] + ("0" if number[-1] != "0" else "1")


def with_check_digit(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "0")


def test_a_valid_number_gives_birth_date_and_gender():
    parsed = id_number_parse(f" {VALID.lower()} ")
    assert parsed.number == VALID
    assert parsed.birth_date == datetime.date(1990, 1, 2)
    assert parsed.gender == Gender.MALE
    assert id_number_parse(id_number_compose("410102", datetime.date(1990, 1, 2), 124)).gender == Gender.FEMALE


def test_a_number_typed_with_spaces_or_full_width_digits_is_read():
    spaced = f"{VALID[:6]} {VALID[6:14]} {VALID[14:]}"
    full_width = "".join(chr(ord(char) + 0xFEE0) for char in VALID)
    assert id_number_parse(spaced).number == VALID
    assert id_number_parse(full_width).number == VALID


# --- issue 10: real people, whatever python-stdnum's table says about the year of their code ---


@pytest.mark.parametrize(
    ("number", "birth_date", "gender"),
    [
        # 410102 (Zhengzhou 中原区) is listed "[1983-]": everyone registered there earlier is real.
        ("410102196503082047", datetime.date(1965, 3, 8), Gender.FEMALE),
        (id_number_compose("410102", datetime.date(1971, 11, 30), 35), datetime.date(1971, 11, 30), Gender.MALE),
        # 411702 (驻马店 驿城区) starts in 2000; its people born in the 1970s keep it.
        (id_number_compose("411702", datetime.date(1976, 6, 1), 48), datetime.date(1976, 6, 1), Gender.FEMALE),
        # 412723 (商水县, until 2000: now 411623) is retired; its holders keep their numbers.
        (id_number_compose("412723", datetime.date(1968, 2, 29), 11), datetime.date(1968, 2, 29), Gender.MALE),
        # 110103 (Beijing 崇文区) was merged away in 2010: the code existed, so it is a code.
        (id_number_compose("110103", datetime.date(2012, 5, 5), 2), datetime.date(2012, 5, 5), Gender.FEMALE),
    ],
)
def test_numbers_under_codes_that_started_later_or_were_retired_are_accepted(number, birth_date, gender):
    parsed = id_number_parse(number)
    assert (parsed.number, parsed.birth_date, parsed.gender) == (number, birth_date, gender)


@pytest.mark.parametrize(
    ("code", "known"),
    [("410102", True), ("412723", True), ("110103", True), ("419921", False), ("990102", False), ("41010", False)],
)
def test_an_area_code_counts_if_it_ever_existed_under_a_real_province(code, known):
    assert area_code_ever_existed(code) is known


@pytest.mark.parametrize("region", ["419921", "990102", "000000"])
def test_a_code_that_never_existed_is_refused_naming_the_code(region):
    number = id_number_compose(region, datetime.date(1970, 1, 1), 11)
    with pytest.raises(ValidationError) as caught:
        id_number_parse(number)
    assert caught.value.message == ID_NUMBER_AREA_CODE
    assert caught.value.params == {"number": number, "code": region}


@pytest.mark.parametrize(
    "birth_date", [datetime.date(2999, 1, 1), datetime.date(2026, 12, 2), datetime.date(1899, 12, 31)]
)
def test_a_birth_date_in_the_future_or_before_1900_is_refused(birth_date):
    number = id_number_compose("410102", birth_date, 11)
    with pytest.raises(ValidationError) as caught:
        id_number_parse(number, today=datetime.date(2026, 12, 1))
    assert caught.value.message == ID_NUMBER_BIRTH_DATE_RANGE
    assert caught.value.params["birth_date"] == birth_date
    with translation.override("zh-hans"):
        assert "1900-01-01" in caught.value.messages[0]


def test_born_today_is_possible():
    today = datetime.date(2026, 12, 1)
    assert id_number_parse(id_number_compose("410102", today, 1), today=today).birth_date == today


def test_a_wrong_check_digit_is_refused_in_chinese():
    with pytest.raises(ValidationError) as caught:
        id_number_parse(wrong_check_digit(VALID))
    assert caught.value.message == ID_NUMBER_CHECK_DIGIT
    with translation.override("zh-hans"):
        assert "校验码" in caught.value.messages[0]


@pytest.mark.parametrize(
    "value",
    ["", None, "12345", "41010219900102123", "4101021990010212AX", "41010219900102123A", VALID + "1", "410102-1990"],
)
def test_malformed_numbers_are_refused_with_the_format_message(value):
    with pytest.raises(ValidationError) as caught:
        id_number_parse(value)
    assert caught.value.message == ID_NUMBER_FORMAT


def test_an_impossible_birth_date_is_refused():
    with pytest.raises(ValidationError) as caught:
        id_number_parse(with_check_digit("41010219901340123"))  # month 13
    assert caught.value.message == ID_NUMBER_BIRTH_DATE
    with pytest.raises(ValidationError) as caught:
        id_number_parse(with_check_digit("41010219670229123"))  # 1967 was no leap year
    assert caught.value.message == ID_NUMBER_BIRTH_DATE


def test_gender_and_birth_date_must_agree():
    parsed = id_number_parse(VALID)
    assert id_number_agreement_errors(parsed, gender=Gender.MALE, birth_date=datetime.date(1990, 1, 2)) == {}
    errors = id_number_agreement_errors(parsed, gender=Gender.FEMALE, birth_date=datetime.date(1990, 1, 3))
    assert set(errors) == {"gender", "birth_date"}


def test_masking_keeps_region_and_last_four():
    assert mask_id_number(VALID) == f"410102********{VALID[-4:]}"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("") == ""
