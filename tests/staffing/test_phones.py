import pytest
from django.core.exceptions import ValidationError

from staffing.phones import PHONE_INVALID, phone_parse


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("13812345678", "13812345678"),
        (" 199 1234 5678 ", "19912345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("0371-12345678", "0371-12345678"),
        ("037112345678", "037112345678"),
        ("010-1234567", "010-1234567"),
    ],
)
def test_mobile_and_landline_numbers_with_area_code_are_accepted(typed, stored):
    assert phone_parse(typed) == stored


@pytest.mark.parametrize(
    "typed", ["", "12345", "12812345678", "1381234567", "138123456789", "12345678", "371-12345678", "0371-1234"]
)
def test_anything_else_is_refused_naming_the_rule(typed):
    with pytest.raises(ValidationError) as caught:
        phone_parse(typed)
    assert caught.value.message == PHONE_INVALID
