"""Any cell, any row, any file: a value or the clerk's message, never another exception (issue 11.7).

Property-based (hypothesis): every normaliser of ``normalise`` and every column of every sheet
takes whatever a CSV or calamine can hand it; the row parser turns whatever it gets into values
and per-column errors; the readers turn any bytes into a table or a ``FileRefused``.
"""

import datetime
import io
import tempfile
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from governance.spreadsheets import importer, normalise
from governance.spreadsheets.readers import CSV, XLSX, FileRefused, read_table
from governance.spreadsheets.registry import RESOURCES, resource_class
from tests.spreadsheets.sheets import xlsx_bytes

# What a cell can be: CSV gives text; calamine gives text, float, int, bool, date, datetime,
# timedelta or None. Text is drawn wide (any code point, NUL included), and as clerks type it.
typed_text = st.one_of(
    st.text(),
    st.text(alphabet="0123456789０１２３４５６７８９ -/.年月日xX，,　\t"),
    st.from_regex(r"\s*\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?\s*", fullmatch=True),
    st.from_regex(r"\d{17}[\dxX]", fullmatch=True),
    st.text(alphabet="0123456789", min_size=4290, max_size=4400),  # past int()'s 4,300-digit limit
)
cells = st.one_of(
    st.none(),
    typed_text,
    st.integers(),
    st.floats(),  # NaN and the infinities included
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.timedeltas(),
)

PARSERS = [
    normalise.text,
    normalise.half_width,
    normalise.code,
    normalise.long_number,
    normalise.whole_number,
    normalise.number,
    normalise.date,
    normalise.yes_no,
]
# Every column of every sheet (the vocabularies of choices included), once each.
COLUMNS = {f"{key}.{column.field}": column for key in RESOURCES for column in resource_class(key).columns}


def _value_or_validation_error(parse, value):
    try:
        return parse(value)
    except ValidationError as error:
        assert error.messages  # a message the clerk reads
        return None


@pytest.mark.parametrize("parse", PARSERS, ids=lambda parse: parse.__name__)
@given(value=cells)
def test_every_normaliser_gives_a_value_or_a_validation_error(parse, value):
    _value_or_validation_error(parse, value)


@given(value=cells)
@example(value=float("nan"))
@example(value="Infinity")
def test_a_number_is_finite_or_refused(value):
    result = _value_or_validation_error(normalise.number, value)
    assert result is None or result.is_finite()


@given(value=st.one_of(typed_text, st.dates(), st.datetimes()))
def test_a_date_is_a_date_or_refused(value):
    result = _value_or_validation_error(normalise.date, value)
    assert result is None or type(result) is datetime.date


@pytest.mark.parametrize("column", COLUMNS.values(), ids=COLUMNS.keys())
@given(value=cells)
def test_every_column_parses_any_cell(column, value):
    _value_or_validation_error(column.parse, value)


@pytest.mark.parametrize("key", RESOURCES)
@given(data=st.data())
def test_the_row_parser_gives_values_and_errors_by_column_for_any_row(key, data):
    columns = dict(enumerate(resource_class(key).columns))
    row_cells = data.draw(st.lists(cells, max_size=len(columns) + 3))
    row = importer._parse_row(7, row_cells, columns)
    headers = {column.header for column in columns.values()}
    assert row.number == 7 and set(row.values) == {column.field for column in columns.values()}
    assert {header for header, _message in row.errors} <= headers
    for column in columns.values():
        if column.field in row.failed:
            assert row.values[column.field] is None
    assert all("\x00" not in value for value in row.values.values() if isinstance(value, str))


def _read(content: bytes, fmt: str):
    with tempfile.TemporaryDirectory(prefix="sheets-") as folder:
        path = Path(folder) / f"upload.{fmt}"
        path.write_bytes(content)
        try:
            return read_table(path, fmt)
        except FileRefused as refusal:
            assert str(refusal.message)
            return None


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    content=st.one_of(
        st.binary(),
        st.text().map(lambda text: text.encode("utf-8")),
        st.text().map(lambda text: text.encode("gb18030")),
        st.lists(st.lists(typed_text, max_size=5), max_size=5).map(
            lambda rows: "\r\n".join(",".join(row) for row in rows).encode("utf-8")
        ),
    )
)
def test_any_bytes_as_csv_are_a_table_or_refused(content):
    table = _read(content, CSV)
    if table is not None:
        assert table.rows and all(isinstance(number, int) for number, _cells in table.rows)


VALID = xlsx_bytes([["单位代码", "单位名称"], ["419921100002", "新村"], ["419921100003", datetime.date(2026, 1, 1)]])


@settings(max_examples=30, deadline=None)
@given(position=st.integers(0, len(VALID) - 1), noise=st.binary(min_size=1, max_size=64))
def test_any_damage_to_an_xlsx_is_a_table_or_refused(position, noise):
    """Each example starts a reading process, so fewer examples: damage anywhere in a real file."""
    damaged = VALID[:position] + noise + VALID[position + len(noise) :]
    _read(damaged, XLSX)


@settings(max_examples=30, deadline=None)
@given(sheet=st.binary(max_size=2000))
def test_any_sheet_xml_is_a_table_or_refused(sheet):
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(VALID)) as source, zipfile.ZipFile(output, "w") as target:
        for item in source.infolist():
            target.writestr(item, sheet if item.filename == "xl/worksheets/sheet1.xml" else source.read(item))
    _read(output.getvalue(), XLSX)
