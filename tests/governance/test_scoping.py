from django.contrib.auth.models import AnonymousUser

from governance.access import role_assign, role_revoke
from governance.models import RoleAssignment, Unit
from governance.roles import Capability, Role
from governance.scoping import unit_in_scope, units_for
from tests.conftest import user_with_role
from tests.factories.governance import UserFactory


def names(queryset):
    return set(queryset.values_list("name", flat=True))


def test_township_role_covers_the_township_and_its_villages(county, owner):
    assert names(units_for(owner)) == {"城关镇", "东关村"}


def test_outsider_sees_only_the_neighbouring_township(county, outsider):
    assert names(units_for(outsider)) == {"柳林镇", "柳林村"}


def test_capability_decides_the_units(county, owner, colleague):
    assert not units_for(owner, Capability.APPROVE_ASSESSMENT).exists()
    assert names(units_for(colleague, Capability.APPROVE_ASSESSMENT)) == {"城关镇", "东关村"}


def test_county_role_covers_the_whole_county(county):
    centre = user_with_role("centre", Role.COUNTY_GOVERNANCE_CENTRE, county.county)
    assert names(units_for(centre)) == set(Unit.objects.subtree(county.county).values_list("name", flat=True))
    assert "城关镇" in names(units_for(centre, Capability.COORDINATE_CASES))
    assert county.city.name not in names(units_for(centre))


def test_department_officer_sees_only_the_department(county):
    officer = user_with_role("officer", Role.DEPARTMENT_OFFICER, county.agriculture)
    assert names(units_for(officer)) == {"清河县农业农村局"}
    assert names(units_for(officer, Capability.HANDLE_ASSIGNMENT)) == {"清河县农业农村局"}


def test_city_admin_and_superuser_see_everything(county, city_admin):
    root = UserFactory(username="root", is_superuser=True)
    assert units_for(city_admin).count() == Unit.objects.count()
    assert units_for(root).count() == Unit.objects.count()


def test_nobody_without_a_role_sees_anything(county):
    assert not units_for(UserFactory(username="nobody")).exists()
    assert not units_for(AnonymousUser()).exists()


def test_inactive_user_sees_nothing(county, owner):
    owner.is_active = False
    owner.save()
    assert not units_for(owner).exists()


def test_several_roles_add_up(county, owner):
    role_assign(user=owner, unit=county.village_b, role=Role.VILLAGE_CLERK)
    assert names(units_for(owner)) == {"城关镇", "东关村", "柳林村"}


def test_scoping_reads_the_grants_once_then_one_query_per_list(county, owner, django_assert_num_queries):
    with django_assert_num_queries(2):  # the user's grants, then the units under them
        list(units_for(owner))
    with django_assert_num_queries(1):  # the grants are cached on the user object for the request
        list(units_for(owner, Capability.RAISE_CASE))


def test_a_scope_is_a_prefix_match_on_the_path_not_a_subquery_over_the_grants(county, owner):
    """Issue 12: the staffing queues repeated guardian's tables in every FILTER of their count."""
    sql = str(units_for(owner).query)
    assert "guardian" not in sql and "groupobjectpermission" not in sql.lower()
    assert "LIKE" in sql


def test_revoking_a_role_removes_its_reach(county, owner):
    role_revoke(assignment=RoleAssignment.objects.get(user=owner))
    assert not units_for(owner).exists()
    assert not owner.groups.exists()


def test_scoped_queryset_filters_rows_by_their_unit(county, owner, outsider):
    assert set(RoleAssignment.objects.for_user(owner).values_list("user__username", flat=True)) == {"owner"}


def test_holds_answers_for_one_unit_including_grants_above_it(county, owner, colleague):
    from governance.scoping import holds

    assert holds(owner, Capability.RAISE_CASE, county.village_a.pk)
    assert not holds(owner, Capability.RAISE_CASE, county.village_b.pk)
    assert not holds(owner, Capability.APPROVE_ASSESSMENT, county.township_a.pk)
    assert holds(colleague, Capability.APPROVE_ASSESSMENT, county.township_a.pk)


def test_a_reused_unit_code_hands_nothing_over(county, owner):
    """Issue 11: township A's code is changed, its old code given to a new township B; B's clerk
    found A's group by name (code:role) and saw A's records."""
    from governance.access import role_assign
    from governance.models import Unit
    from governance.roles import Capability, Role
    from governance.scoping import units_for
    from tests.factories.governance import TownshipFactory, UserFactory

    old_code = county.township_a.code
    county.township_a.code = "419921109000"
    county.township_a.save()
    newcomer = TownshipFactory(parent=county.county, name="新设镇", code=old_code)
    clerk = UserFactory(username="newcomer_clerk")
    role_assign(user=clerk, unit=newcomer, role=Role.TOWNSHIP_CLERK)
    seen = set(units_for(clerk, Capability.SEE_RECORDS).values_list("name", flat=True))
    assert seen == {"新设镇"}
    assert county.township_a.name in set(units_for(owner).values_list("name", flat=True))
    assert Unit.objects.get(pk=newcomer.pk).code == old_code


def test_the_migration_renames_code_named_groups_by_the_unit_their_grants_sit_on(county):
    import importlib

    from django.apps import apps
    from django.contrib.auth.models import Group
    from guardian.shortcuts import assign_perm

    migration = importlib.import_module("governance.migrations.0007_unit_role_groups_by_pk")
    group = Group.objects.create(name="419921999000:township_clerk")  # a code the unit no longer has
    assign_perm("governance.see_unit_records", group, county.township_a)
    migration.by_pk(apps, None)
    group.refresh_from_db()
    assert group.name == f"unit:{county.township_a.pk}:township_clerk"
    migration.by_code(apps, None)
    group.refresh_from_db()
    assert group.name == f"{county.township_a.code}:township_clerk"


def test_units_held_answers_as_units_for_for_several_capabilities_in_one_query(
    county, owner, colleague, django_assert_num_queries
):
    from governance.scoping import units_held

    capabilities = (Capability.RAISE_CASE, Capability.APPROVE_ASSESSMENT, Capability.COORDINATE_CASES)
    units = [county.township_a.pk, county.village_a.pk, county.township_b.pk, county.agriculture.pk]
    centre = user_with_role("centre", Role.COUNTY_GOVERNANCE_CENTRE, county.county)
    for user in (owner, colleague, centre, UserFactory(username="root", is_superuser=True)):
        held = units_held(user, capabilities, units)
        for capability in capabilities:
            expected = units_for(user, capability).filter(pk__in=units).values_list("pk", flat=True)
            assert held[capability] == set(expected), (user, capability)
    list(units_for(owner))  # the grants, read once per request
    with django_assert_num_queries(1):
        units_held(owner, capabilities, units)
    assert units_held(AnonymousUser(), capabilities, units) == {capability: set() for capability in capabilities}


def test_unit_in_scope_answers_as_units_for_without_a_query(
    county, owner, colleague, outsider, city_admin, django_assert_num_queries
):
    """A change page's links ask ``unit_in_scope`` for each unit it shows (governance.admin.related):
    the same answer as the scoped list, from the paths read with the grants."""
    nobody = UserFactory(username="nobody")
    units = list(Unit.objects.all())
    for user in (owner, colleague, outsider, city_admin, nobody):
        for capability in (Capability.SEE_RECORDS, Capability.APPROVE_ASSESSMENT):
            held = set(units_for(user, capability).values_list("pk", flat=True))
            with django_assert_num_queries(0):
                answers = {unit.pk for unit in units if unit_in_scope(user, unit, capability)}
            assert answers == held, (user.username, capability)
