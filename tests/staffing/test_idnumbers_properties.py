"""Any text as an ID number: the parsed number or a ValidationError naming the rule, never another
exception (issue 11.7, property-based). Clerks type numbers with spaces, full-width digits, a
small x; files carry anything."""

import datetime

from django.core.exceptions import ValidationError
from hypothesis import example, given
from hypothesis import strategies as st

from staffing.idnumbers import IdNumber, id_number_compose, id_number_parse

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")

id_like = st.one_of(
    st.text(),
    st.text(alphabet="0123456789xX -　０１２３４５６７８９", max_size=25),
    st.from_regex(r"[1-9]\d{5}(18|19|20)\d{2}[01]\d[0-3]\d{4}[\dxX]", fullmatch=True),
)


def _parsed_or_refused(value) -> IdNumber | None:
    try:
        return id_number_parse(value)
    except ValidationError as error:
        assert error.messages
        return None


@given(value=id_like)
@example(value="٣" * 18)  # digits of another script: str.isdigit() says yes
@example(value="41010219900307767²")
@example(value="410102000002301234")
def test_any_text_is_a_number_or_refused(value):
    parsed = _parsed_or_refused(value)
    if parsed is not None:
        assert len(parsed.number) == 18 and parsed.number[:17].isascii() and parsed.number[:17].isdigit()
        assert id_number_parse(parsed.number) == parsed  # the compact form reads back the same


@given(value=st.one_of(st.none(), st.integers(), st.floats()))
def test_a_cell_that_is_not_text_is_a_number_or_refused(value):
    _parsed_or_refused(value)


@given(
    birth=st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2020, 12, 31)),
    sequence=st.integers(0, 999),
    typed=st.sampled_from(["plain", "spaced", "full-width", "lower x"]),
)
def test_a_well_formed_number_reads_however_it_is_typed(birth, sequence, typed):
    number = id_number_compose("410102", birth, sequence)
    written = {
        "plain": number,
        "spaced": f"{number[:6]} {number[6:14]} {number[14:]}",
        "full-width": number.translate(FULL_WIDTH),
        "lower x": number.lower(),
    }[typed]
    parsed = id_number_parse(written)
    assert (parsed.number, parsed.birth_date) == (number, birth)
