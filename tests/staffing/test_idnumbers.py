import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from staffing.idnumbers import (
    ID_NUMBER_BIRTH_DATE,
    ID_NUMBER_CHECK_DIGIT,
    ID_NUMBER_FORMAT,
    Gender,
    id_number_agreement_errors,
    id_number_compose,
    id_number_parse,
    mask_id_number,
    mask_phone,
)

VALID = id_number_compose("410102", datetime.date(1990, 1, 2), 123)  # odd sequence: a man


def wrong_check_digit(number):
    return number[:-1] + ("0" if number[-1] != "0" else "1")


def test_a_valid_number_gives_birth_date_and_gender():
    parsed = id_number_parse(f" {VALID.lower()} ")
    assert parsed.number == VALID
    assert parsed.birth_date == datetime.date(1990, 1, 2)
    assert parsed.gender == Gender.MALE
    assert id_number_parse(id_number_compose("410102", datetime.date(1990, 1, 2), 124)).gender == Gender.FEMALE


def test_a_wrong_check_digit_is_refused_in_chinese():
    with pytest.raises(ValidationError) as caught:
        id_number_parse(wrong_check_digit(VALID))
    assert caught.value.message == ID_NUMBER_CHECK_DIGIT
    with translation.override("zh-hans"):
        assert "校验码" in caught.value.messages[0]


@pytest.mark.parametrize("value", ["", "12345", "41010219900102123", "4101021990010212AX"])
def test_malformed_numbers_are_refused(value):
    with pytest.raises(ValidationError) as caught:
        id_number_parse(value)
    assert caught.value.message == ID_NUMBER_FORMAT


def test_an_impossible_birth_date_is_refused():
    body = "41010219901340123"  # month 13
    from stdnum.cn import ric

    with pytest.raises(ValidationError) as caught:
        id_number_parse(body + ric.calc_check_digit(body + "0"))
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
