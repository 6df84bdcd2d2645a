"""The personal-information rules a cadre's record obeys (staffing.idnumbers, staffing.phones), for the
other people records of issue 15: the ID number parsed (format, check digit, birth date, area code),
gender and birth date read from it and checked against what was written, the phone normalised."""

from django.core.exceptions import ValidationError

from staffing.idnumbers import id_number_agreement_errors, id_number_parse
from staffing.phones import phone_parse


def personal_info_clean(person) -> dict:
    """Errors by field for ``person`` (with id_number, gender, birth_date, phone); fills gender and birth
    date from the number and normalises number and phone, as ``Cadre.clean`` does."""
    errors = {}
    person._id_number_parsed = False
    if person.id_number:
        try:
            parsed = id_number_parse(person.id_number)
        except ValidationError as error:
            errors["id_number"] = error
        else:
            person.id_number = parsed.number
            person._id_number_parsed = True
            errors.update(id_number_agreement_errors(parsed, gender=person.gender, birth_date=person.birth_date))
            person.gender = person.gender or parsed.gender
            person.birth_date = person.birth_date or parsed.birth_date
    if person.phone:
        try:
            person.phone = phone_parse(person.phone)
        except ValidationError as error:
            errors["phone"] = error
    return errors
