"""The import and export screens on the unit admin: every door checks the explicit permission,
jobs are private to their uploader, exports hold only what the user may see."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from governance.models import ImportJob, ImportJobStatus, Unit
from governance.spreadsheets import readers
from governance.spreadsheets.admin import EXPORT_TOO_LONG_FOR_XLSX
from tests.spreadsheets.conftest import grant
from tests.spreadsheets.sheets import csv_bytes, upload, xlsx_bytes

HEAD = ["单位代码", "单位名称", "单位类型", "上级单位代码", "行业领域", "编制定额", "试点"]
GOOD = [HEAD, ["419921100002", "北关村", "村", "城关镇", "", "", "否"]]


def url(name: str, *args) -> str:
    return reverse(f"admin:governance_unit_{name}", args=args)


@pytest.fixture
def admin_client(client, city_admin):
    client.force_login(city_admin)
    return client


def _upload(client, rows=GOOD, name="units.xlsx", content=None):
    content = content if content is not None else (xlsx_bytes(rows) if name.endswith(".xlsx") else csv_bytes(rows))
    return client.post(url("import"), {"file": upload(name, content)})


def test_changelist_offers_import_and_export_to_those_permitted(admin_client, client, owner):
    page = admin_client.get(url("changelist")).content.decode()
    assert url("import") in page and url("export") in page
    client.force_login(owner)
    page = client.get(url("changelist")).content.decode()
    assert url("import") not in page and url("export") not in page


def test_upload_preview_confirm(admin_client):
    response = _upload(admin_client)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == url("import_job", job.pk)
    page = admin_client.get(url("import_job", job.pk))
    assert job.status == ImportJobStatus.PREVIEW and "outcome-new" in page.content.decode()
    assert "<td>2</td><td>北关村</td>" in page.content.decode()  # each row's name beside its number
    assert not Unit.objects.filter(code="419921100002").exists()

    response = admin_client.post(url("import_job", job.pk))

    assert response.status_code == 302 and response["Location"] == url("changelist")
    assert Unit.objects.filter(code="419921100002").exists()


def test_errors_shown_and_failed_rows_downloadable(admin_client):
    _upload(admin_client, [HEAD, ["419921100002", "北关村", "小区", "城关镇", "", "", ""]])
    job = ImportJob.objects.get()
    page = admin_client.get(url("import_job", job.pk)).content.decode()
    assert "【单位类型】" in page and url("import_errors", job.pk) in page
    response = admin_client.get(url("import_errors", job.pk))
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert rows[1][2] == "小区" and "小区" in rows[1][-1]
    assert admin_client.post(url("import_job", job.pk)).status_code == 302
    assert not Unit.objects.filter(code="419921100002").exists()


def test_a_job_previewed_before_names_were_kept_still_shows(admin_client):
    _upload(admin_client)
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(preview=[[2, "new", ""]])
    assert admin_client.get(url("import_job", job.pk)).status_code == 200


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("units.xls", b"x", readers.FILE_FORMAT_UNKNOWN),
        ("units.xlsx", b"PK\x03\x04 broken", readers.XLSX_CORRUPT),
        ("units.csv", b"", readers.FILE_EMPTY),
    ],
)
def test_bad_files_get_a_message_never_a_server_error(admin_client, name, content, message):
    response = _upload(admin_client, name=name, content=content)
    if response.status_code == 302:
        job = ImportJob.objects.get()
        assert job.status == ImportJobStatus.REJECTED and job.message == str(message)
        response = admin_client.get(response["Location"])
    assert response.status_code == 200
    assert str(message) in response.content.decode()


def test_a_50_mb_upload_is_refused_before_it_is_stored(admin_client, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 10
    response = _upload(admin_client)
    assert response.status_code == 200 and str(readers.FILE_TOO_LARGE % {"limit": 0}) in response.content.decode()
    assert not ImportJob.objects.exists()


def test_messages_are_in_chinese(admin_client):
    response = _upload(admin_client, name="units.csv", content=b"")
    page = admin_client.get(response["Location"]).content.decode()
    assert "文件是空的" in page


def test_template_download(admin_client):
    response = admin_client.get(url("import_template"))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert load_workbook(io.BytesIO(response.content)).sheetnames[0] == "单位"


@pytest.mark.parametrize("name", ["import", "import_template", "export"])
def test_without_permission_every_door_is_refused(client, outsider, name):
    client.force_login(outsider)
    assert client.get(url(name)).status_code == 403
    if name == "import":
        assert client.post(url(name), {"file": upload("u.xlsx", xlsx_bytes(GOOD))}).status_code == 403
        assert not ImportJob.objects.exists()


def test_import_permission_does_not_grant_export_and_vice_versa(client, owner):
    client.force_login(grant(owner, "import_unit"))
    assert client.get(url("export")).status_code == 403
    assert client.get(url("import")).status_code == 200


def test_a_job_is_visible_to_its_uploader_only(admin_client, client, outsider, city_admin):
    _upload(admin_client, [HEAD, ["419921100002", "北关村", "小区", "城关镇", "", "", ""]])
    job = ImportJob.objects.get()
    client.force_login(grant(outsider, "import_unit"))
    for name in ("import_job", "import_progress", "import_errors"):
        assert client.get(url(name, job.pk)).status_code == 404
    assert client.post(url("import_job", job.pk)).status_code == 404


def test_progress_reports_rows_done_of_rows_total(admin_client):
    _upload(admin_client)
    job = ImportJob.objects.get()
    data = admin_client.get(url("import_progress", job.pk)).json()
    assert (data["rows_done"], data["rows_total"], data["status"], data["finished"]) == (1, 1, "preview", True)


def test_export_holds_only_the_users_units(client, county, owner):
    client.force_login(grant(owner, "export_unit"))
    response = client.get(url("export") + "?format=csv")
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0] == HEAD
    assert {row[0] for row in rows[1:]} == {county.township_a.code, county.village_a.code}


def _exported_codes(client, query: str) -> list[str]:
    response = client.get(url("export") + query)
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return [row[0] for row in csv.reader(io.StringIO(content))][1:]


def test_export_holds_what_the_filtered_list_shows(admin_client, county):
    assert _exported_codes(admin_client, "?format=csv&kind__exact=village") == [
        county.village_a.code,
        county.village_b.code,
    ]
    assert _exported_codes(admin_client, "?format=csv&q=城关&o=1&p=1&e=1") == [county.township_a.code]


def test_filtered_export_stays_inside_the_users_units(client, county, owner):
    client.force_login(grant(owner, "export_unit"))
    assert _exported_codes(client, "?format=csv&kind__exact=village") == [county.village_a.code]


def test_export_with_filters_the_list_does_not_know_goes_back_to_the_list(admin_client):
    response = admin_client.get(url("export") + "?format=csv&colour=red")
    assert response.status_code == 302 and response["Location"] == url("changelist")


def test_the_export_links_carry_the_lists_filters(admin_client):
    page = admin_client.get(url("changelist") + "?kind__exact=village").content.decode()
    assert f"{url('export')}?format=csv&amp;kind__exact=village" in page


def test_an_export_longer_than_a_worksheet_is_refused_as_xlsx_but_not_as_csv(admin_client, county, monkeypatch):
    limit = Unit.objects.count() - 1
    monkeypatch.setattr("governance.spreadsheets.admin.XLSX_MAX_DATA_ROWS", limit)
    response = admin_client.get(url("export"), follow=True)
    assert response.redirect_chain == [(url("changelist"), 302)]
    expected = str(EXPORT_TOO_LONG_FOR_XLSX % {"limit": f"{limit:,}"})
    assert [str(message) for message in response.context["messages"]] == [expected]
    assert len(_exported_codes(admin_client, "?format=csv")) == Unit.objects.count()


def test_export_xlsx_round_trips_through_import_unchanged(admin_client, county):
    response = admin_client.get(url("export"))
    content = b"".join(response.streaming_content)
    assert load_workbook(io.BytesIO(content)).active["A1"].value == "单位代码"
    _upload(admin_client, name="export.xlsx", content=content)
    job = ImportJob.objects.get()
    assert job.status == ImportJobStatus.PREVIEW
    assert job.unchanged_count == Unit.objects.count() and job.created_count == job.updated_count == 0


def test_export_escapes_formulas(admin_client, county):
    Unit.objects.filter(pk=county.village_a.pk).update(name='=HYPERLINK("http://x")')
    content = b"".join(admin_client.get(url("export") + "?format=csv").streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in content


def test_the_template_filled_with_its_example_imports(admin_client, county):
    content = admin_client.get(url("import_template")).content
    _upload(admin_client, name="模板.xlsx", content=content)
    job = ImportJob.objects.get()
    assert (job.status, job.created_count) == (ImportJobStatus.PREVIEW, 1), job.preview


def test_the_import_page_lists_only_the_users_own_recent_jobs(admin_client, client, outsider):
    _upload(admin_client)
    job = ImportJob.objects.get()
    assert url("import_job", job.pk) in admin_client.get(url("import")).content.decode()
    client.force_login(grant(outsider, "import_unit"))
    assert url("import_job", job.pk) not in client.get(url("import")).content.decode()


def test_the_cadre_template_filled_with_its_example_imports(client, county, owner):
    """The template as downloaded, drop-downs and hidden lists included, goes back in as it is."""
    client.force_login(grant(owner, "import_cadre"))
    content = client.get(reverse("admin:staffing_cadre_import_template")).content
    rows = list(load_workbook(io.BytesIO(content)).active.values)
    from staffing.idnumbers import id_number_parse

    assert id_number_parse(rows[1][1]).number == rows[1][1]
    client.post(reverse("admin:staffing_cadre_import"), {"file": upload("干部导入模板.xlsx", content)})
    job = ImportJob.objects.get()
    assert (job.status, job.created_count) == (ImportJobStatus.PREVIEW, 1), job.preview
