"""Every admin door of the scoped base, tried by the owner, a colleague and the outsider from
the neighbouring township (STYLE.md: "prove it with an outsider")."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from governance.models import LeadershipPost, PostRank, Unit
from governance.roles import Role
from tests.conftest import user_with_role


def give(user, *codenames):
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))


def admin_url(name, *args):
    return reverse(f"admin:governance_{name}", args=args)


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_changelist_lists_only_units_in_scope(county, owner, outsider, as_user):
    response = as_user(outsider).get(admin_url("unit_changelist"))
    assert response.status_code == 200
    listed = {unit.name for unit in response.context["cl"].result_list}
    assert listed == {"柳林镇", "柳林村"}


def test_owner_opens_own_township(county, owner, as_user):
    response = as_user(owner).get(admin_url("unit_change", county.township_a.pk))
    assert response.status_code == 200
    assert response.context["original"] == county.township_a


def test_change_page_of_another_township_is_not_found(county, outsider, as_user):
    client = as_user(outsider)
    hidden = client.get(admin_url("unit_change", county.township_a.pk))
    missing = client.get(admin_url("unit_change", 999999))
    # Exactly what a non-existent id gets: a redirect to the index, no trace of the unit.
    assert hidden.status_code == missing.status_code == 302
    assert hidden.url == missing.url
    assert "城关镇" not in client.get(hidden.url).content.decode()


def test_history_page_of_another_township_is_404(county, owner, outsider, as_user):
    assert as_user(owner).get(admin_url("unit_history", county.township_a.pk)).status_code == 200
    assert as_user(outsider).get(admin_url("unit_history", county.township_a.pk)).status_code == 404


def test_delete_page_of_another_township_is_not_found(county, outsider, as_user):
    give(outsider, "delete_unit")
    response = as_user(outsider).post(admin_url("unit_delete", county.village_a.pk), {"post": "yes"})
    assert response.status_code == 302
    assert Unit.objects.filter(pk=county.village_a.pk).exists()


def test_bulk_action_ignores_rows_outside_scope(county, outsider, as_user):
    give(outsider, "delete_unit")
    response = as_user(outsider).post(
        admin_url("unit_changelist"),
        {"action": "delete_selected", "_selected_action": [county.village_a.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert Unit.objects.filter(pk=county.village_a.pk).exists()


def autocomplete(client, term, field="parent", model="unit"):
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "governance", "model_name": model, "field_name": field, "term": term},
    )
    assert response.status_code == 200
    return {row["text"] for row in response.json()["results"]}


def test_autocomplete_offers_only_units_in_scope(county, owner, outsider, as_user):
    assert autocomplete(as_user(outsider), "镇") == {"柳林镇"}
    assert autocomplete(as_user(owner), "村") == {"东关村"}


def test_autocomplete_follows_the_source_fields_capability(county, as_user, monkeypatch):
    from governance.admin.posts import LeadershipPostAdmin
    from governance.roles import Capability

    officer = user_with_role("org", Role.COUNTY_ORGANISATION, county.county)
    client = as_user(officer)
    # The officer may see the county, so a field scoped by that capability offers it…
    assert "清河县" in autocomplete(client, "", field="county", model="leadershippost")
    # …but a field that needs a capability the officer lacks offers nothing, though the
    # unit admin's own queryset (what autocomplete starts from) still holds the county.
    monkeypatch.setattr(LeadershipPostAdmin, "choice_capabilities", {"county": Capability.COORDINATE_CASES})
    assert autocomplete(client, "", field="county", model="leadershippost") == set()
    assert "清河县" in autocomplete(client, "", field="parent", model="unit")


def test_foreign_key_outside_scope_is_refused_on_post(county, as_user):
    centre = user_with_role("centre", Role.COUNTY_GOVERNANCE_CENTRE, county.county)
    give(centre, "add_leadershippost")
    other_county = Unit.objects.create(name="东湖新区", code="419971000000", kind="new_area", parent=county.city)
    form = {
        "county": other_county.pk,
        "rank": PostRank.HEAD,
        "portfolio": "",
        "holder_name": "张三",
        "portfoliodepartment_set-TOTAL_FORMS": "0",
        "portfoliodepartment_set-INITIAL_FORMS": "0",
    }
    response = as_user(centre).post(admin_url("leadershippost_add"), form)
    assert response.status_code == 200
    assert "county" in response.context["adminform"].form.errors
    assert not LeadershipPost.objects.exists()
    form["county"] = county.county.pk
    assert as_user(centre).post(admin_url("leadershippost_add"), form).status_code == 302
    assert LeadershipPost.objects.get().county == county.county


def test_related_filter_lists_only_related_units_in_scope(county, as_user):
    centre = user_with_role("centre", Role.COUNTY_GOVERNANCE_CENTRE, county.county)
    other_county = Unit.objects.create(name="东湖新区", code="419971000000", kind="new_area", parent=county.city)
    LeadershipPost.objects.create(county=other_county, rank=PostRank.HEAD, holder_name="李四")
    LeadershipPost.objects.create(county=county.county, rank=PostRank.HEAD, holder_name="张三")
    page = as_user(centre).get(admin_url("leadershippost_changelist")).content.decode()
    # The "county" filter would list every unit in the table unless the base scopes it.
    assert "清河县" in page
    assert "东湖新区" not in page
    assert "李四" not in page


def test_module_hidden_without_model_permission(county, as_user):
    nobody = user_with_role("village", Role.VILLAGE_CLERK, county.village_a)
    nobody.groups.clear()
    response = as_user(nobody).get(reverse("admin:index"))
    assert response.status_code == 200
    assert not response.context["app_list"]


def test_role_assignments_are_only_for_city_administrators(county, owner, city_admin, as_user):
    assert as_user(owner).get(admin_url("roleassignment_changelist")).status_code == 403
    assert as_user(city_admin).get(admin_url("roleassignment_changelist")).status_code == 200


def test_city_admin_assigns_a_role_in_one_step(county, city_admin, as_user):
    from tests.factories.governance import UserFactory

    newcomer = UserFactory(username="newcomer", is_staff=False)
    response = as_user(city_admin).post(
        admin_url("roleassignment_add"),
        {"user": newcomer.pk, "unit": county.township_b.pk, "role": Role.TOWNSHIP_CLERK},
    )
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.is_staff
    assert newcomer.has_perm("governance.raise_case", county.township_b)
    assert not newcomer.has_perm("governance.raise_case", county.township_a)


def test_role_in_a_unit_of_the_wrong_level_is_refused_with_a_message(county, city_admin, as_user):
    from governance.models import RoleAssignment
    from tests.factories.governance import UserFactory

    newcomer = UserFactory(username="newcomer")
    response = as_user(city_admin).post(
        admin_url("roleassignment_add"),
        {"user": newcomer.pk, "unit": county.village_a.pk, "role": Role.TOWNSHIP_SUPERVISOR},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["unit"]
    assert not RoleAssignment.objects.filter(user=newcomer).exists()


def test_a_refusal_at_save_time_is_a_message_not_a_server_error(county, city_admin, as_user, monkeypatch):
    from django.core.exceptions import ValidationError

    from governance.admin import access as access_admin
    from governance.models import RoleAssignment
    from tests.factories.governance import UserFactory

    def refuse(**kwargs):
        raise ValidationError("另一用户刚刚改变了该单位。")

    monkeypatch.setattr(access_admin, "role_assign", refuse)
    newcomer = UserFactory(username="newcomer")
    client = as_user(city_admin)
    response = client.post(
        admin_url("roleassignment_add"),
        {"user": newcomer.pk, "unit": county.township_b.pk, "role": Role.TOWNSHIP_CLERK},
    )
    assert response.status_code == 302
    assert response.url == admin_url("roleassignment_add")
    assert "另一用户刚刚改变了该单位。" in client.get(response.url).content.decode()
    assert not RoleAssignment.objects.filter(user=newcomer).exists()


def test_a_township_quota_of_zero_is_a_form_error_not_a_server_error(county, city_admin, as_user):
    """Issue 11: the constraint names the unit's level, which the form lacks, so the database
    refused it at save time with an IntegrityError."""
    township = county.township_a
    response = as_user(city_admin).post(
        admin_url("unit_change", township.pk),
        {
            "name": township.name,
            "code": township.code,
            "kind": township.kind,
            "parent": township.parent_id,
            "sector": "",
            "staff_quota": "0",
            "pilot": "",
        },
    )
    assert response.status_code == 200
    assert "staff_quota" in response.context["adminform"].form.errors
    township.refresh_from_db()
    assert township.staff_quota == 100
