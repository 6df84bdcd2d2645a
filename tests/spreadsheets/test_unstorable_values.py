"""Values the database cannot store (issue 11.7): a NUL inside a cell is that row's error in the
preview, naming the column, and a value refused while the rows are written fails the job with a
message naming the row; never a crash, a server error or a job stuck "writing"."""

import pytest
from django.db import DataError
from openpyxl import load_workbook

from governance.models import ImportJobStatus, Unit
from governance.spreadsheets import importer
from governance.spreadsheets.services import import_job_confirm, import_job_create
from staffing.models import Cadre
from staffing.resources import CadreSheet
from tests.spreadsheets.sheets import handmade_xlsx, inline_cells, upload, xlsx_bytes
from tests.spreadsheets.test_staffing_import import CADRE_HEAD, _cadre_row

UNIT_HEAD = {"A": "单位代码", "B": "单位名称", "C": "单位类型", "D": "上级单位代码"}


def test_a_nul_in_an_xlsx_cell_is_the_rows_error_naming_the_column(county, city_admin):
    """Excel writes a control character as _x0000_, and calamine reads it back as NUL."""
    rows = {
        1: UNIT_HEAD,
        2: {"A": "419921100002", "B": "新村", "C": "村", "D": "城关镇"},
        3: {"A": "419921100003", "B": "坏_x0000_村", "C": "村", "D": "城关镇"},
    }
    job = import_job_create(
        user=city_admin, resource_key="unit", upload=upload("units.xlsx", handmade_xlsx(inline_cells(rows)))
    )
    assert (job.status, job.error_count) == (ImportJobStatus.REJECTED, 1)
    assert job.preview[1][:3] == [3, "error", f"【单位名称】{importer.CELL_NUL}"]
    failed = load_workbook(job.error_file.path).active
    assert [cell.value for cell in failed[2]][:2] == ["419921100003", "坏村"]  # the copy goes without the NUL
    assert not Unit.objects.filter(code__in=["419921100002", "419921100003"]).exists()


@pytest.mark.usefixtures("postgres_only")
def test_a_value_the_copy_refuses_fails_the_job_naming_the_row(county, owner, monkeypatch):
    """Were a NUL to pass the checks, psycopg refuses it at COPY: once an uncaught DataError."""
    build = CadreSheet.build

    def slipping_a_nul_through(self, row):
        build(self, row)
        if row.number == 3:
            row.instance.current_post = "站\x00长"

    monkeypatch.setattr(CadreSheet, "build", slipping_a_nul_through)
    rows = [CADRE_HEAD, _cadre_row(1), _cadre_row(2)]
    job = import_job_create(user=owner, resource_key="cadre", upload=upload("cadres.xlsx", xlsx_bytes(rows)))
    job = import_job_confirm(job=job, user=owner)
    assert job.status == ImportJobStatus.FAILED and job.finished
    assert job.message == str(importer.ROW_NOT_STORED % {"row": 3})
    assert not Cadre.objects.exists()


def test_a_data_error_from_any_other_write_fails_the_job(county, owner, monkeypatch):
    def refusing(self, created, updated):
        raise DataError("value too long")

    monkeypatch.setattr(CadreSheet, "write", refusing)
    rows = [CADRE_HEAD, _cadre_row(1)]
    job = import_job_create(user=owner, resource_key="cadre", upload=upload("cadres.xlsx", xlsx_bytes(rows)))
    job = import_job_confirm(job=job, user=owner)
    assert (job.status, job.message) == (ImportJobStatus.FAILED, str(importer.VALUE_NOT_STORED))
