"""Uploads that claim more work than any real workbook (issue 11.5): refused before they are
parsed, or parsed in a child process whose memory is bounded, never in this one.

Before the fix the first test aborted the test process itself (python-calamine's SIGABRT)."""

import datetime
import io
import subprocess
import zipfile

import pytest

from governance.models import ImportJob, ImportJobStatus, Unit
from governance.spreadsheets import readers
from governance.spreadsheets.readers import XLSX, FileRefused, count_data_rows, read_table
from governance.spreadsheets.services import import_job_create
from tests.spreadsheets.sheets import handmade_xlsx, inline_cells, upload, xlsx_bytes

HEADER = {"A": "单位代码", "B": "单位名称", "C": "单位类型", "D": "上级单位代码"}
VILLAGE = {"A": "419921100002", "B": "新村", "C": "村", "D": "城关镇"}


def _path(tmp_path, content: bytes):
    path = tmp_path / "upload.xlsx"
    path.write_bytes(content)
    return path


def _refusal(tmp_path, content: bytes, *, count: bool = False) -> str:
    with pytest.raises(FileRefused) as caught:
        path = _path(tmp_path, content)
        count_data_rows(path, XLSX) if count else read_table(path, XLSX)
    return str(caught.value.message)


def dimension_bomb() -> bytes:
    """2 KB: one value in the sheet's last cell makes calamine size a 16384 × 1048576 grid (550 GB)."""
    return handmade_xlsx(inline_cells({1: {"A": "姓名"}, 1_048_576: {"XFD": "x"}}), dimension="A1:XFD1048576")


def _compressed_member(archive: zipfile.ZipFile, name: str, head: bytes, filler: bytes, size: int) -> None:
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w", force_zip64=True) as member:
        member.write(head)
        chunk = filler * ((1 << 20) // len(filler))
        for _ in range(size // len(chunk)):
            member.write(chunk)


def shared_strings_bomb(megabytes: int = 64) -> bytes:
    """Shared strings of ``megabytes`` MB packed about 1000:1 (issue 11: a 1 MB upload held 1 GB)."""
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(handmade_xlsx(inline_cells({1: HEADER, 2: VILLAGE})))) as source:
        with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
            for item in source.infolist():
                archive.writestr(item, source.read(item.filename))
            _compressed_member(
                archive, "xl/sharedStrings.xml", b"<sst>", b"<si><t>" + b"A" * 4000 + b"</t></si>", megabytes << 20
            )
    return output.getvalue()


# --- before any parser runs: the archive -------------------------------------------------------


def test_the_2_kb_dimension_bomb_is_refused_and_this_process_lives(tmp_path):
    bomb = dimension_bomb()
    assert len(bomb) < 2048
    expected = str(readers.XLSX_TOO_LARGE_TO_READ % {"limit": 2048})
    assert _refusal(tmp_path, bomb) == expected
    assert _refusal(tmp_path, bomb, count=True) == expected  # at upload, where it once killed the server


def test_the_shared_strings_bomb_is_refused_by_its_ratio_before_it_is_unpacked(tmp_path):
    bomb = shared_strings_bomb()
    assert len(bomb) < 200 * 1024
    strings = zipfile.ZipFile(io.BytesIO(bomb)).getinfo("xl/sharedStrings.xml")
    ratio = strings.file_size // strings.compress_size
    assert ratio > 500
    assert _refusal(tmp_path, bomb, count=True) == str(
        readers.XLSX_RATIO_TOO_HIGH % {"member": "xl/sharedStrings.xml", "ratio": ratio, "limit": 100}
    )


def test_a_part_or_a_workbook_unpacking_beyond_the_limits_is_refused(tmp_path, settings):
    settings.IMPORT_XLSX_MAX_RATIO = 10_000
    settings.IMPORT_XLSX_MAX_MEMBER_BYTES = 32 << 20
    assert _refusal(tmp_path, shared_strings_bomb(64)) == str(
        readers.XLSX_MEMBER_TOO_LARGE % {"member": "xl/sharedStrings.xml", "size": 64, "limit": 32}
    )
    settings.IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES = 16 << 20
    assert _refusal(tmp_path, shared_strings_bomb(24)) == str(
        readers.XLSX_UNCOMPRESSED_TOO_LARGE % {"size": 24, "limit": 16}
    )


def test_a_zip_of_ten_thousand_members_is_refused(tmp_path):
    extra = {f"xl/media/image{n}.png": b"" for n in range(10_000)}
    content = handmade_xlsx(inline_cells({1: HEADER, 2: VILLAGE}), extra_members=extra)
    assert _refusal(tmp_path, content, count=True) == str(
        readers.XLSX_TOO_MANY_MEMBERS % {"count": 10_005, "limit": 1000}
    )


# --- the declared dimension: a hint, not the truth --------------------------------------------


def test_a_whole_sheet_declared_as_dimension_is_read_as_the_rows_it_holds(tmp_path):
    """Real files from the counties declare A1:XFD1048576 and hold a few rows (DESIGN.md §8)."""
    content = handmade_xlsx(inline_cells({1: HEADER, 2: VILLAGE}), dimension="A1:XFD1048576")
    path = _path(tmp_path, content)
    assert count_data_rows(path, XLSX) == 1  # measured, not taken from the dimension
    assert read_table(path, XLSX).rows == [(2, list(VILLAGE.values()))]


def test_a_dimension_within_the_limits_gives_the_count_without_parsing(tmp_path):
    """So the upload of a normal file costs no parse; the formula is found when the rows are read."""
    content = xlsx_bytes([list(HEADER.values()), list(VILLAGE.values()), ["x", "=1+1", "村", "城关镇"]])
    path = _path(tmp_path, content)
    assert count_data_rows(path, XLSX) == 2
    assert _refusal(tmp_path, content) == str(readers.XLSX_FORMULA % {"cell": "B3"})


def test_values_beyond_the_column_limit_are_refused_naming_the_column(tmp_path):
    content = handmade_xlsx(inline_cells({1: {**HEADER, "XFD": "备注"}, 2: VILLAGE}))
    assert _refusal(tmp_path, content) == str(readers.XLSX_TOO_MANY_COLUMNS % {"column": "XFD", "limit": 100})


# --- parsing: bounded memory and time -----------------------------------------------------------


def test_a_sheet_needing_more_memory_than_the_limit_is_refused(tmp_path, settings):
    """Two values 26 columns and 100,000 rows apart: an 83 MB grid, over a 64 MB limit."""
    content = handmade_xlsx(inline_cells({1: HEADER, 100_000: {"Z": "x"}}))
    path = _path(tmp_path, content)
    assert len(read_table(path, XLSX).rows) == 1  # under the default 2 GB: read
    settings.IMPORT_XLSX_READ_MEMORY_BYTES = 64 << 20
    assert _refusal(tmp_path, content) == str(readers.XLSX_TOO_LARGE_TO_READ % {"limit": 64})
    small = handmade_xlsx(inline_cells({1: HEADER, 2: VILLAGE}))
    assert len(read_table(_path(tmp_path, small), XLSX).rows) == 1  # the limit, not the child, refused it


def test_a_read_outlasting_the_time_limit_is_refused(tmp_path, settings, monkeypatch):
    settings.IMPORT_XLSX_READ_SECONDS = 7

    def too_slow(command, **options):
        assert options["timeout"] == 7
        raise subprocess.TimeoutExpired(command, 7)

    monkeypatch.setattr(readers.subprocess, "run", too_slow)
    content = xlsx_bytes([list(HEADER.values()), list(VILLAGE.values())])
    assert _refusal(tmp_path, content) == str(readers.XLSX_TOO_SLOW % {"limit": 7})


def test_dates_times_and_durations_come_back_as_calamine_gives_them(tmp_path):
    """The child's answer carries built-in types only (marshal); the rest travel beside the rows."""
    moments = [datetime.date(1965, 3, 8), datetime.datetime(2026, 3, 1, 8, 30), datetime.time(17, 45)]
    content = xlsx_bytes([["日期", "时刻", "时间", "文字"], [*moments, "张三"], ["", "", "", "李四"]])
    table = read_table(_path(tmp_path, content), XLSX)
    assert table.rows == [(2, [*moments, "张三"]), (3, ["", "", "", "李四"])]


# --- the import job: refused at upload, nothing written, the upload deleted ----------------------


@pytest.mark.parametrize("bomb", [dimension_bomb, shared_strings_bomb], ids=["dimension", "shared strings"])
def test_a_bomb_upload_is_a_refused_job_and_its_file_is_deleted(county, city_admin, settings, bomb):
    job = import_job_create(user=city_admin, resource_key="unit", upload=upload("units.xlsx", bomb()))
    assert job.status == ImportJobStatus.REJECTED and job.finished
    assert "最多" in job.message or "内存" in job.message  # the Chinese message, naming its limit
    assert not job.file
    assert not list((settings.MEDIA_ROOT / "imports").rglob("*.xlsx"))
    assert not Unit.objects.filter(name="新村").exists()


def test_a_bomb_posted_to_the_import_page_is_no_server_error(client, county, city_admin):
    client.force_login(city_admin)
    response = client.post("/admin/governance/unit/import/", {"file": upload("units.xlsx", dimension_bomb())})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert client.get(response.url).status_code == 200 and job.status == ImportJobStatus.REJECTED


def test_a_workbook_naming_no_sheet_is_refused_as_damaged(tmp_path):
    """Found by hypothesis: the reading process indexed the first of no sheets and crashed."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["单位代码"], ["419921100002"]])))
    damaged = io.BytesIO()
    with zipfile.ZipFile(damaged, "w") as archive:
        for member in source.namelist():
            content = source.read(member)
            if member == "xl/workbook.xml":
                start, end = content.index(b"<sheets>"), content.index(b"</sheets>") + len(b"</sheets>")
                content = content[:start] + b"<sheets/>" + content[end:]
            archive.writestr(member, content)
    assert _refusal(tmp_path, damaged.getvalue()) == str(readers.XLSX_CORRUPT)
