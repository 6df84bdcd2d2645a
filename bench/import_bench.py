"""Import and export speed of the cadre spreadsheet, printed as figures (issue 5 §8; not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench \
    SECRET_KEY=$(python -c 'import secrets; print(secrets.token_urlsafe(50))') \
        .venv/bin/python bench/import_bench.py [--rows 100000] [--baseline-rows 5000] [--export-rows 1000000]

Each measurement runs in its own process on a fresh throw-away database (``test_<name>``,
created and dropped here), so peak memory (ru_maxrss) is that measurement's own:

1. XLSX, upload to committed: ``import_job_create`` on the file, exactly as the admin calls it
   (above IMPORT_BACKGROUND_ROWS it is the background task, run in-process without a broker).
   The .xlsx is read in a child process (issue 11.5); its peak memory is printed apart.
2. The same rows as CSV (GB18030, as Excel on Chinese Windows saves it).
3. django-import-export defaults: a plain ``ModelResource`` (``import_id_fields`` on the ID
   number, ``ForeignKeyWidget`` by unit name) on the first ``--baseline-rows`` rows of the same
   CSV; its rows/s is compared with ours (it is linear per row, so a sample gives its rate).
4. Export of ``--export-rows`` cadres as streamed CSV, peak memory against the row count.
"""

import argparse
import csv
import datetime
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "governance.settings")

HEAD = [
    "姓名",
    "身份证号",
    "性别",
    "出生日期",
    "联系电话",
    "政治面貌",
    "学历",
    "编制单位",
    "现任职务",
    "人员类别",
    "职级",
    "领导职务层次",
]
STATUSES = ["中共党员", "群众", "共青团员", "中共预备党员"]
EDUCATIONS = ["大学本科", "研究生", "大专", "中专"]
# (人员类别, 职级, 领导职务层次) as a county's roll mixes them (staffing.ranks)
POSTS = [
    ("公务员", "一级科员", ""),
    ("公务员", "四级主任科员", "乡科级副职"),
    ("参照公务员法管理", "二级科员", ""),
    ("事业编制", "九级职员", ""),
    ("事业编制", "中级", ""),
]
# Codes python-stdnum dates after most holders' births (410102, 411702, 410184) and a retired one
# (412723): real rolls are full of them, and every one is a valid birthplace code (issue 10).
REGIONS = ["410102", "411702", "412723", "410184"]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cadre_rows(count: int, unit_names: list[str]):
    from staffing.idnumbers import id_number_compose

    start = datetime.date(1965, 1, 1)  # born 1965–1997
    for n in range(count):
        birth = start + datetime.timedelta(days=n % 12_000)
        number = id_number_compose(REGIONS[n % len(REGIONS)], birth, n // 12_000 * 2 + 1)
        category, rank, level = POSTS[n % len(POSTS)]
        yield [
            f"干部{n}",
            number,
            "男",
            birth.isoformat(),
            f"138{n:08d}",
            STATUSES[n % 4],
            EDUCATIONS[n % 4],
            unit_names[n % len(unit_names)],
            "科员",
            category,
            rank,
            level,
        ]


def write_files(count: int, unit_names: list[str], directory: Path) -> tuple[Path, Path]:
    from openpyxl import Workbook

    xlsx, csv_path = directory / "cadres.xlsx", directory / "cadres.csv"
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("干部")
    sheet.append(HEAD)
    with csv_path.open("w", encoding="gb18030", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(HEAD)
        for row in cadre_rows(count, unit_names):
            sheet.append(row)
            writer.writerow(row)
    workbook.save(xlsx)
    return xlsx, csv_path


# --- inside a measurement process ----------------------------------------------------------


def _setup_database():
    import django

    django.setup()
    from django.db import connection

    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    from governance.access import role_assign
    from governance.models import Sector
    from governance.roles import Role
    from tests.factories.governance import CityFactory, CountyFactory, DepartmentFactory, TownshipFactory, UserFactory

    city = CityFactory()
    county = CountyFactory(parent=city, name="清河县", code="419921000000")
    units = [TownshipFactory(parent=county, name=f"第{n}镇", code=f"419921{100 + n:03d}000") for n in range(10)]
    sectors = list(Sector)[:10]
    units += [DepartmentFactory(parent=county, sector=sector, name=f"清河县{sector.label}局") for sector in sectors]
    user = UserFactory(username="bench_admin")
    role_assign(user=user, unit=city, role=Role.CITY_ADMIN)
    return connection, user, [unit.name for unit in units]


def _teardown(connection):
    name = connection.settings_dict["NAME"]
    connection.creation.destroy_test_db(name, verbosity=0)


def measure_ours(path: str) -> dict:
    connection, user, _names = _setup_database()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from governance.models import ImportJobStatus
    from governance.spreadsheets.services import import_job_confirm, import_job_create
    from staffing.models import Cadre

    content = Path(path).read_bytes()
    upload = SimpleUploadedFile(Path(path).name, content)
    try:
        started = time.perf_counter()
        job = import_job_create(user=user, resource_key="cadre", upload=upload)
        job.refresh_from_db()
        if job.status == ImportJobStatus.PREVIEW:  # a file under IMPORT_BACKGROUND_ROWS: preview, then confirm
            job = import_job_confirm(job=job, user=user)
        elapsed = time.perf_counter() - started
        assert job.status == ImportJobStatus.DONE, (job.status, job.message, job.preview[:3])
        rows = Cadre.objects.count()
        assert rows == job.created_count
    finally:
        _teardown(connection)
    # An .xlsx is read in a child process (issue 11.5): its peak is its own, not this process's.
    reader_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"rows": rows, "seconds": elapsed, "peak_mb": peak_mb(), "reader_peak_mb": reader_mb}


def measure_baseline(path: str, limit: int) -> dict:
    connection, _user, _names = _setup_database()
    import tablib
    from import_export import fields, resources, widgets

    from governance.models import Unit
    from staffing.models import Cadre

    class PlainCadreResource(resources.ModelResource):
        home_unit = fields.Field(
            attribute="home_unit", column_name="home_unit", widget=widgets.ForeignKeyWidget(Unit, field="name")
        )

        class Meta:
            model = Cadre
            import_id_fields = ("id_number",)
            fields = (
                "name",
                "id_number",
                "gender",
                "birth_date",
                "phone",
                "political_status",
                "education",
                "home_unit",
                "current_post",
                "staff_category",
                "rank",
                "leadership_level",
            )

    english = [
        "name",
        "id_number",
        "gender",
        "birth_date",
        "phone",
        "political_status",
        "education",
        "home_unit",
        "current_post",
        "staff_category",
        "rank",
        "leadership_level",
    ]
    codes = {
        "男": "male",
        "中共党员": "cpc_member",
        "群众": "non_party",
        "共青团员": "cyl_member",
        "中共预备党员": "cpc_probationary",
        "大学本科": "bachelor",
        "研究生": "postgraduate",
        "大专": "junior_college",
        "中专": "secondary",
        "公务员": "civil_servant",
        "参照公务员法管理": "referenced",
        "事业编制": "institution",
        "一级科员": "clerk_1",
        "四级主任科员": "principal_4",
        "二级科员": "clerk_2",
        "九级职员": "manager_9",
        "中级": "pro_intermediate",
        "乡科级副职": "township_deputy",
    }
    dataset = tablib.Dataset(headers=english)
    with open(path, encoding="gb18030", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for n, row in enumerate(reader):
            if n >= limit:
                break
            dataset.append([codes.get(cell, cell) if i in (2, 5, 6, 9, 10, 11) else cell for i, cell in enumerate(row)])
    try:
        started = time.perf_counter()
        result = PlainCadreResource().import_data(dataset, dry_run=False, use_transactions=True)
        elapsed = time.perf_counter() - started
        assert not result.has_errors() and not result.has_validation_errors(), result.invalid_rows[:3]
        rows = Cadre.objects.count()
    finally:
        _teardown(connection)
    return {"rows": rows, "seconds": elapsed, "peak_mb": peak_mb()}


def measure_export(count: int) -> dict:
    connection, user, names = _setup_database()
    from django.db import transaction

    from governance.models import Unit
    from governance.spreadsheets.writers import csv_stream
    from staffing.models import Cadre
    from staffing.resources import CadreSheet

    units = {unit.name: unit for unit in Unit.objects.filter(name__in=names)}
    try:
        with transaction.atomic():
            batch = []
            for row in cadre_rows(count, names):
                batch.append(
                    Cadre(
                        name=row[0],
                        id_number=row[1],
                        gender="male",
                        birth_date=row[3],
                        phone=row[4],
                        political_status="cpc_member",
                        education="bachelor",
                        home_unit=units[row[7]],
                        current_post=row[8],
                        staff_category="civil_servant",
                        rank="clerk_1",
                    )
                )
                if len(batch) == 10_000:
                    Cadre.objects.bulk_create(batch)
                    batch = []
            Cadre.objects.bulk_create(batch)
        before = peak_mb()
        sheet = CadreSheet(user)
        started = time.perf_counter()
        written = 0
        with tempfile.TemporaryFile("w", encoding="utf-8") as sink:
            for chunk in csv_stream(HEAD, sheet.export_rows(sheet.export_queryset())):
                sink.write(chunk)
                written += 1
        elapsed = time.perf_counter() - started
    finally:
        _teardown(connection)
    return {"rows": written - 2, "seconds": elapsed, "peak_mb": peak_mb(), "peak_before_mb": before}


# --- the orchestrator ------------------------------------------------------------------------


def run_child(*args: str) -> dict:
    output = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True, cwd=ROOT)
    if output.returncode:
        sys.exit(f"measurement {args[0]} failed:\n{output.stderr[-3000:]}")
    return json.loads(output.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--baseline-rows", type=int, default=5_000)
    parser.add_argument("--export-rows", type=int, default=1_000_000)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    options = parser.parse_args()

    if options.child:
        kind, *rest = options.child
        if kind == "ours":
            result = measure_ours(rest[0])
        elif kind == "baseline":
            result = measure_baseline(rest[0], int(rest[1]))
        else:
            result = measure_export(int(rest[0]))
        print(json.dumps(result))
        return

    import django

    django.setup()
    from django.db import connection

    print(
        f"database: {connection.vendor} · CPUs: {os.cpu_count()} · rows: {options.rows:,} · "
        f"load average {os.getloadavg()[0]:.1f} (other work on the machine slows every figure)"
    )
    with tempfile.TemporaryDirectory() as directory:
        from governance.models import Sector

        unit_names = [f"第{n}镇" for n in range(10)] + [f"清河县{sector.label}局" for sector in list(Sector)[:10]]
        started = time.perf_counter()
        xlsx, csv_path = write_files(options.rows, unit_names, Path(directory))
        print(
            f"files written in {time.perf_counter() - started:.1f} s: xlsx {xlsx.stat().st_size / 2**20:.1f} MB, "
            f"csv {csv_path.stat().st_size / 2**20:.1f} MB"
        )

        figures = {}
        for label, args in (("XLSX", ("ours", str(xlsx))), ("CSV (GB18030)", ("ours", str(csv_path)))):
            result = run_child(*args)
            rate = result["rows"] / result["seconds"]
            figures[label] = rate
            target = 5_000 if label == "XLSX" else 10_000
            speed = "met" if rate >= target else "NOT met"
            memory = "met" if result["peak_mb"] < 600 else "NOT met"
            reader = f" · reading process {result['reader_peak_mb']:.0f} MB" if result["reader_peak_mb"] else ""
            print(
                f"{label:<14} upload→committed: {result['rows']:,} rows in {result['seconds']:.1f} s "
                f"= {rate:,.0f} rows/s (target ≥ {target:,}: {speed}) · "
                f"peak memory {result['peak_mb']:.0f} MB (target < 600: {memory}){reader}"
            )
        baseline = run_child("baseline", str(csv_path), str(options.baseline_rows))
        base_rate = baseline["rows"] / baseline["seconds"]
        print(
            f"ModelResource  defaults on the first {baseline['rows']:,} CSV rows: {baseline['seconds']:.1f} s "
            f"= {base_rate:,.0f} rows/s · peak memory {baseline['peak_mb']:.0f} MB"
        )
        for label, rate in figures.items():
            print(f"ratio {label}: {rate / base_rate:.1f}× the ModelResource defaults (aim ≥ 10×)")
    if options.export_rows:
        result = run_child("export", str(options.export_rows))
        print(f"load average now {os.getloadavg()[0]:.1f}")
        print(
            f"export CSV stream: {result['rows']:,} rows in {result['seconds']:.1f} s = "
            f"{result['rows'] / result['seconds']:,.0f} rows/s · peak memory {result['peak_mb']:.0f} MB "
            f"({result['peak_before_mb']:.0f} MB before the export began)"
        )


if __name__ == "__main__":
    main()
