import datetime

import pytest
from django.core.exceptions import ValidationError

from staffing import services
from staffing.idnumbers import ID_NUMBER_CHECK_DIGIT, ID_NUMBER_GENDER_MISMATCH, Gender
from staffing.models import HOME_UNIT_LEVEL, Cadre, Education, PoliticalStatus, Rank, StaffCategory
from tests.factories.staffing import CadreFactory, id_number


def new_cadre(home_unit, **fields):
    values = {
        "name": "张三",
        "id_number": id_number(7),
        "political_status": PoliticalStatus.CPC_MEMBER,
        "education": Education.BACHELOR,
        "home_unit": home_unit,
        "current_post": "科员",
        "staff_category": StaffCategory.CIVIL_SERVANT,
        "rank": Rank.CLERK_1,
        **fields,
    }
    return Cadre(**values)


def test_saving_fills_gender_and_birth_date_from_the_number(county, owner):
    cadre = services.cadre_save(actor=owner, cadre=new_cadre(county.township_a))
    cadre.refresh_from_db()
    assert cadre.gender == Gender.MALE
    assert cadre.birth_date.year == 1983 + 7 % 17
    assert cadre.history.count() == 1


def test_wrong_check_digit_writes_nothing(county, owner):
    number = id_number(7)
    bad = number[:-1] + ("0" if number[-1] != "0" else "1")
    with pytest.raises(ValidationError) as caught:
        services.cadre_save(actor=owner, cadre=new_cadre(county.township_a, id_number=bad))
    assert caught.value.message_dict["id_number"] == [str(ID_NUMBER_CHECK_DIGIT % {"number": bad})]
    assert not Cadre.objects.exists()


def test_gender_that_contradicts_the_number_is_refused(county, owner):
    with pytest.raises(ValidationError) as caught:
        services.cadre_save(actor=owner, cadre=new_cadre(county.township_a, gender=Gender.FEMALE))
    assert caught.value.message_dict["gender"] == [str(ID_NUMBER_GENDER_MISMATCH)]
    with pytest.raises(ValidationError):
        services.cadre_save(actor=owner, cadre=new_cadre(county.township_a, birth_date=datetime.date(2001, 1, 1)))
    assert not Cadre.objects.exists()


def test_an_id_number_is_unique(county, owner):
    CadreFactory(id_number=id_number(7), home_unit=county.township_a)
    with pytest.raises(ValidationError) as caught:
        services.cadre_save(actor=owner, cadre=new_cadre(county.township_a))
    assert "id_number" in caught.value.message_dict


def test_home_unit_is_a_department_or_township(county, owner):
    with pytest.raises(ValidationError) as caught:
        services.cadre_save(actor=owner, cadre=new_cadre(county.village_a))
    assert caught.value.message_dict["home_unit"] == [str(HOME_UNIT_LEVEL)]


def test_outsider_cannot_keep_records_of_another_township(county, outsider):
    with pytest.raises(ValidationError) as caught:
        services.cadre_save(actor=outsider, cadre=new_cadre(county.township_a))
    assert caught.value.messages == [str(services.CADRE_OUTSIDE_SCOPE)]
    cadre = CadreFactory(home_unit=county.township_a)
    cadre.home_unit = county.township_b  # moving someone else's cadre into one's own township
    with pytest.raises(ValidationError):
        services.cadre_save(actor=outsider, cadre=cadre)
    assert Cadre.objects.get().home_unit == county.township_a


def test_cadre_visibility_follows_home_unit_and_secondment_in_force(county, owner, outsider, secondment, organiser):
    own = CadreFactory(home_unit=county.township_a)
    assert set(Cadre.objects.for_user(owner)) == {own, secondment.cadre}
    assert not Cadre.objects.for_user(outsider).exists()
    assert set(Cadre.objects.for_user(organiser)) == {own, secondment.cadre}


# --- issue 10: phones, implausible dates and malformed numbers get a message naming the rule ---


@pytest.mark.parametrize("phone", ["12345", "1381234567", "371-12345678"])
def test_a_phone_is_a_mobile_or_a_landline_with_area_code(county, owner, phone):
    from staffing.phones import PHONE_INVALID

    with pytest.raises(ValidationError) as caught:
        services.cadre_save(actor=owner, cadre=new_cadre(county.township_a, phone=phone))
    assert caught.value.message_dict == {"phone": [str(PHONE_INVALID)]}
    cadre = services.cadre_save(actor=owner, cadre=new_cadre(county.township_a, phone=" 0371-6362 1234 "))
    assert cadre.phone == "0371-63621234"


def test_a_birth_date_in_2999_is_refused_with_a_message(county, owner):
    from staffing.idnumbers import BIRTH_DATE_OUT_OF_RANGE

    with pytest.raises(ValidationError) as caught:
        services.cadre_save(actor=owner, cadre=new_cadre(county.township_a, birth_date=datetime.date(2999, 1, 1)))
    messages = caught.value.message_dict["birth_date"]
    assert str(BIRTH_DATE_OUT_OF_RANGE % {"birth_date": datetime.date(2999, 1, 1)}) in messages
    assert not Cadre.objects.exists()


def test_a_19_character_number_gets_the_format_message_and_no_constraint_name(county, owner):
    from staffing.idnumbers import ID_NUMBER_FORMAT

    with pytest.raises(ValidationError) as caught:
        services.cadre_save(actor=owner, cadre=new_cadre(county.township_a, id_number=id_number(7) + "1"))
    assert caught.value.message_dict == {"id_number": [str(ID_NUMBER_FORMAT)]}


def test_people_born_before_their_area_code_started_are_saved(county, owner):
    cadre = services.cadre_save(actor=owner, cadre=new_cadre(county.township_a, id_number="410102196503082047"))
    assert (cadre.birth_date, cadre.gender) == (datetime.date(1965, 3, 8), Gender.FEMALE)
