import datetime

import pytest
from django.core.exceptions import ValidationError

from governance.models import UnitKind
from governance.resources import UNIT_KIND
from governance.spreadsheets import normalise


@pytest.mark.parametrize(
    "typed",
    [
        "2022-02-11",
        "2022/2/11",
        "2022年2月11日",
        "20220211",
        " 2022.2.11 ",
        "２０２２－０２－１１",
        "2022-02-11 00:00:00",
        datetime.date(2022, 2, 11),
        datetime.datetime(2022, 2, 11),
    ],
)
def test_dates_as_clerks_type_them(typed):
    assert normalise.date(typed) == datetime.date(2022, 2, 11)


@pytest.mark.parametrize("typed", ["2022-02-30", "2月11日", "明天", "2022-13-01"])
def test_a_non_date_is_refused_naming_the_forms(typed):
    with pytest.raises(ValidationError) as caught:
        normalise.date(typed)
    assert caught.value.messages == [normalise.NOT_A_DATE % {"value": typed}]


def test_codes_lose_spaces_and_full_width_and_lower_case_x():
    assert normalise.code(" ４１０１０２ １９９００３０７７６７x ") == "41010219900307767X"
    assert normalise.long_number("41010219900307767x") == "41010219900307767X"


def test_a_long_number_stored_by_excel_as_a_number_is_refused():
    with pytest.raises(ValidationError) as caught:
        normalise.long_number(4.10102199003077e17)
    assert caught.value.messages == [str(normalise.NUMBER_STORED_AS_NUMBER)]
    assert normalise.long_number(419921100000.0) == "419921100000"


@pytest.mark.parametrize(
    ("typed", "expected"), [("１２０", 120), (120.0, 120), ("1,200", 1200), (" 98 ", 98), ("100.0", 100)]
)
def test_whole_numbers(typed, expected):
    assert normalise.whole_number(typed) == expected


@pytest.mark.parametrize("typed", ["12.5", 12.5, "一百", True])
def test_not_whole_numbers(typed):
    with pytest.raises(ValidationError):
        normalise.whole_number(typed)


@pytest.mark.parametrize(
    ("typed", "expected"), [("是", True), ("否", False), (" 是 ", True), ("Y", True), ("0", False)]
)
def test_yes_no(typed, expected):
    assert normalise.yes_no(typed) is expected


def test_yes_no_refuses_anything_else():
    with pytest.raises(ValidationError) as caught:
        normalise.yes_no("可能")
    assert caught.value.messages == [normalise.NOT_YES_OR_NO % {"value": "可能"}]


def test_vocabulary_takes_chinese_words_values_and_english_labels():
    assert UNIT_KIND("镇") == UnitKind.TOWN
    assert UNIT_KIND("县直部门") == UnitKind.DEPARTMENT
    assert UNIT_KIND("village") == UnitKind.VILLAGE
    assert UNIT_KIND("Village") == UnitKind.VILLAGE
    assert UNIT_KIND.word(UnitKind.TOWN) == "镇"
    with pytest.raises(ValidationError) as caught:
        UNIT_KIND("小区")
    assert "镇" in caught.value.messages[0] and "小区" in caught.value.messages[0]
