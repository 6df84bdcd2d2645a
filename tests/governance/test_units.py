"""The tree's rules (issue 2): codes checked, levels in order, no cycles, nothing orphaned."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models.deletion import ProtectedError
from django.utils import translation

from governance.codes import CREDIT_CODE_INVALID, DIVISION_CODE_FORMAT
from governance.models import Sector, Unit, UnitKind, UnitLevel
from governance.models.units import PARENT_CYCLE, PARENT_LEVEL_WRONG, SECTOR_REQUIRED
from tests.factories.governance import credit_code


def build(**fields) -> Unit:
    unit = Unit(**fields)
    unit.full_clean()
    unit.save()
    return unit


def messages(error: ValidationError, field: str) -> list[str]:
    return error.value.message_dict[field]


def test_subtree_is_one_prefix_query(county, django_assert_num_queries):
    with django_assert_num_queries(1):
        names = set(Unit.objects.subtree(county.township_a).values_list("name", flat=True))
    assert names == {"城关镇", "东关村"}
    assert Unit.objects.subtree(county.county).count() == 7


def test_level_follows_kind(county):
    assert county.township_a.level == "township"
    assert county.agriculture.level == "organ"
    assert county.village_a.path == "/419900000000/419921000000/419921100000/419921100001/"


def test_township_gets_the_default_quota(county):
    street = build(name="新街道", code="419921002000", kind=UnitKind.STREET, parent=county.county)
    assert street.staff_quota == 100


def test_wrong_credit_code_check_character_is_refused(county):
    good = credit_code(77, "419921")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(ValidationError) as error:
        build(name="水利局", code=bad, kind=UnitKind.DEPARTMENT, sector=Sector.WATER, parent=county.county)
    assert messages(error, "code") == [str(CREDIT_CODE_INVALID % {"code": bad})]
    assert not Unit.objects.filter(code=bad).exists()


def test_credit_code_is_stored_compact_and_upper_case(county):
    code = credit_code(78, "419921")
    unit = build(name="水利局", code=code.lower(), kind=UnitKind.DEPARTMENT, sector=Sector.WATER, parent=county.county)
    assert unit.code == code


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("41992110000", UnitKind.TOWN),  # 11 digits
        ("41992110000A", UnitKind.TOWN),  # a letter
        ("419921100001", UnitKind.TOWN),  # a village's code for a town
        ("419921000000", UnitKind.TOWN),  # the county's own code
    ],
)
def test_malformed_division_codes_are_refused(county, code, kind):
    with pytest.raises(ValidationError) as error:
        build(name="新镇", code=code, kind=kind, parent=county.county)
    assert "code" in error.value.message_dict


def test_division_code_must_extend_the_parents_code(county):
    with pytest.raises(ValidationError) as error:
        build(name="外县镇", code="419922100000", kind=UnitKind.TOWN, parent=county.county)
    assert "419921" in messages(error, "code")[0]


def test_division_code_format_message_is_in_chinese(county):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        build(name="新镇", code="12", kind=UnitKind.TOWN, parent=county.county)
    assert messages(error, "code") == [str(DIVISION_CODE_FORMAT)]
    assert "12位" in messages(error, "code")[0]


def test_village_under_a_county_is_refused(county):
    with pytest.raises(ValidationError) as error:
        build(name="飞地村", code="419921000001", kind=UnitKind.VILLAGE, parent=county.county)
    expected = str(PARENT_LEVEL_WRONG) % {"kind": UnitKind.VILLAGE.label, "parent_level": UnitLevel.TOWNSHIP.label}
    assert messages(error, "parent") == [expected]
    assert not Unit.objects.filter(name="飞地村").exists()


def test_department_must_name_its_sector(county):
    with pytest.raises(ValidationError) as error:
        build(name="某局", code=credit_code(79, "419921"), kind=UnitKind.DEPARTMENT, parent=county.county)
    assert messages(error, "sector") == [str(SECTOR_REQUIRED)]


def test_one_department_per_sector_per_county(county):
    with pytest.raises(ValidationError):
        build(
            name="第二农业局",
            code=credit_code(80, "419921"),
            kind=UnitKind.DEPARTMENT,
            sector=Sector.AGRICULTURE,
            parent=county.county,
        )


def test_duplicate_code_is_refused(county):
    with pytest.raises(ValidationError) as error:
        build(name="重复镇", code=county.township_a.code, kind=UnitKind.TOWN, parent=county.county)
    assert "code" in error.value.message_dict


def test_moving_a_unit_under_its_own_descendant_is_refused(county):
    township = county.township_a
    township.parent = county.village_a
    with pytest.raises(ValidationError) as error:
        township.full_clean()
    assert messages(error, "parent") == [str(PARENT_CYCLE)]


def test_moving_a_township_repaths_its_villages(county):
    other_county = build(name="东湖新区", code="419971000000", kind=UnitKind.NEW_AREA, parent=county.city)
    township = county.township_a
    township.parent = other_county
    township.code = "419971100000"
    township.save()
    village = Unit.objects.get(pk=county.village_a.pk)
    assert village.path == "/419900000000/419971000000/419971100000/419921100001/"
    assert set(Unit.objects.subtree(other_county).values_list("name", flat=True)) == {"东湖新区", "城关镇", "东关村"}


def test_unit_with_children_cannot_be_deleted(county):
    with pytest.raises(ProtectedError):
        county.township_a.delete()
    assert Unit.objects.filter(pk=county.township_a.pk).exists()


def _raw_insert(code, kind, level, parent_id):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO governance_unit (name, code, kind, level, parent_id, path, sector, staff_quota, pilot)"
            " VALUES (%s, %s, %s, %s, %s, %s, '', NULL, %s)",
            ["raw", code, kind, level, parent_id, "/x/", False],
        )


def test_database_refuses_a_village_under_a_county_even_without_forms(county):
    with pytest.raises(IntegrityError), transaction.atomic():
        _raw_insert("419921000009", "village", "village", county.county.pk)


def test_database_refuses_a_department_under_a_township(county):
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO governance_unit (name, code, kind, level, parent_id, path, sector, staff_quota, pilot)"
                " VALUES ('raw', %s, 'department', 'organ', %s, '/x/', 'water', NULL, %s)",
                [credit_code(81, "419921"), county.township_a.pk, False],
            )


def test_database_refuses_a_level_change_of_a_unit_with_children(county):
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.filter(pk=county.township_a.pk).update(level="village", kind="village", staff_quota=None)


def test_database_refuses_a_kind_that_does_not_match_the_level(county):
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.filter(pk=county.village_a.pk).update(kind="town")


# --- issue 10: the path is built from the parent's stored path and the subtree follows in one statement ---


def _path_of(unit) -> str:
    return Unit.objects.values_list("path", flat=True).get(pk=unit.pk)


def test_a_parent_saved_after_it_was_assigned_gives_its_child_the_full_path(county):
    """An import assigns in-file parents before they are saved; the child must not get "/<code>/"."""
    township = Unit(name="新镇", code="419921102000", kind=UnitKind.TOWN, parent=county.county)
    village = Unit(name="新村", code="419921102001", kind=UnitKind.VILLAGE, parent=township)
    township.save()
    village.save()
    assert _path_of(village) == f"{county.county.path}419921102000/419921102001/"


def test_a_stale_parent_instance_does_not_leak_its_old_path(county):
    stale_city = Unit.objects.get(pk=county.city.pk)
    stale_city.path = "/wrong/"
    street = Unit(name="新街道", code="419921002000", kind=UnitKind.STREET, parent=county.county)
    street.save()
    county_again = Unit.objects.get(pk=county.county.pk)
    county_again.parent = stale_city
    county_again.save()
    assert _path_of(county.village_a) == "/419900000000/419921000000/419921100000/419921100001/"
    assert _path_of(street) == "/419900000000/419921000000/419921002000/"


def test_saving_a_unit_again_repairs_its_whole_subtree(county):
    """Paths written wrongly by the old save (own code only) are rewritten below the saved unit."""
    for unit in (county.township_a, county.village_a, county.agriculture, county.county):
        Unit.objects.filter(pk=unit.pk).update(path=f"/{unit.code}/")
    Unit.objects.get(pk=county.county.pk).save()
    assert _path_of(county.village_a) == "/419900000000/419921000000/419921100000/419921100001/"
    assert _path_of(county.agriculture) == f"/419900000000/419921000000/{county.agriculture.code}/"
    assert Unit.objects.subtree(Unit.objects.get(pk=county.county.pk)).count() == 7


def test_moving_a_unit_rewrites_its_subtree_in_one_statement(county):
    from django.test.utils import CaptureQueriesContext

    for number in range(2, 12):
        build(name=f"村{number}", code=f"4199211000{number:02d}", kind=UnitKind.VILLAGE, parent=county.township_a)
    other_county = build(name="东湖新区", code="419971000000", kind=UnitKind.NEW_AREA, parent=county.city)
    township = Unit.objects.get(pk=county.township_a.pk)
    township.parent = other_county
    with CaptureQueriesContext(connection) as captured:
        township.save()
    updates = [query["sql"] for query in captured.captured_queries if "UPDATE" in query["sql"].upper()]
    unit_updates = [sql for sql in updates if '"governance_unit"' in sql.split("SET")[0]]
    assert len(unit_updates) == 2  # the township's own row, then its whole subtree
    assert len(updates) == 2 + 3  # and one per table that copies the township's county (cases.denormalised)
    paths = set(Unit.objects.subtree(other_county).values_list("path", flat=True))
    assert f"/419900000000/419971000000/419921100000/{county.village_a.code}/" in paths
    assert len(paths) == 1 + 1 + 11


def test_the_migration_repairs_every_stored_path(county):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("governance.migrations.0006_repair_unit_paths_and_bound_dates")
    Unit.objects.exclude(kind=UnitKind.CITY).update(path="/broken/")
    migration.repair(apps, None)
    assert _path_of(county.village_b) == "/419900000000/419921000000/419921101000/419921101001/"
    assert _path_of(county.housing) == f"/419900000000/419921000000/{county.housing.code}/"
