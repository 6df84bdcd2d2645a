"""The importer's fast ways of building and checking instances give what Django's own do."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from governance.spreadsheets.resources import check_fields, new_instance
from staffing.models import Cadre

VALUES = {
    "name": "张三",
    "id_number": "410102199003077675",
    "birth_date": datetime.date(1990, 3, 7),
    "political_status": "cpc_member",
    "education": "bachelor",
    "current_post": "农技员",
    "staff_category": "civil_servant",
    "rank": "clerk_1",
}


def _values(instance) -> list:
    return [getattr(instance, field.attname) for field in Cadre._meta.concrete_fields]


def test_new_instance_equals_the_keyword_constructor(county, django_assert_num_queries):
    values = {**VALUES, "home_unit": county.township_a}
    built = new_instance(Cadre, values)
    assert _values(built) == _values(Cadre(**values))
    assert built.gender == "" and built.pk is None and built._state.adding  # defaults, not saved
    with django_assert_num_queries(0):
        assert built.home_unit == county.township_a


@pytest.mark.parametrize(
    "bad",
    [
        {"name": "张" * 51},  # longer than max_length
        {"name": ""},  # required text left blank
        {"rank": "general"},  # not a choice
        {"gender": "unknown", "phone": "1" * 21},  # two fields at once
    ],
)
def test_check_fields_reports_what_clean_fields_reports(county, bad):
    cadre = new_instance(Cadre, {**VALUES, "home_unit": county.township_a, **bad})
    with pytest.raises(ValidationError) as caught:
        cadre.clean_fields()
    reported = {name: ValidationError(errors).messages for name, errors in check_fields(cadre).items()}
    assert reported == caught.value.message_dict


def test_check_fields_passes_a_good_instance(county):
    assert check_fields(new_instance(Cadre, {**VALUES, "home_unit": county.township_a})) == {}
