"""A record's page links what it points at only where the user may go, and shows people by name
(issue 9): a township clerk's assessment page named the sending department as a link to a unit
outside the township ("…不存在"), and 吹哨人 linked the user admin (403)."""

from django.urls import reverse

from staffing.models import Assessment
from tests.factories.cases import case_raised
from tests.factories.staffing import SecondmentFactory
from tests.staffing.conftest import open_cycle


def _readonly(response, label_field: str) -> str:
    """The HTML of one read-only field of the change page."""
    page = response.content.decode()
    start = page.index(f"field-{label_field}")
    return page[start : page.index("</div>", page.index('class="readonly"', start))]


def test_whistle_blower_by_name_and_own_units_linked(client, county, owner, colleague):
    from governance.models import CoordinationItem

    item = CoordinationItem.objects.create(code="XT-T1", name="测试事项", lead_sector="agriculture")
    case = case_raised(actor=owner, township=county.township_a, item=item, village=county.village_a).case
    owner.first_name = "李卫东"
    owner.save()
    client.force_login(colleague)
    response = client.get(reverse("admin:cases_case_change", args=[case.pk]))
    raised_by = _readonly(response, "raised_by")
    assert "李卫东" in raised_by and "<a " not in raised_by  # no user admin for a supervisor
    assert f'href="{reverse("admin:governance_unit_change", args=[county.township_a.pk])}"' in _readonly(
        response, "township"
    )


def test_a_unit_outside_the_scope_is_plain_text(client, county, owner, colleague):
    secondment = SecondmentFactory(sending_unit=county.agriculture, host_unit=county.township_a)
    cycle = open_cycle(colleague, county.township_a)
    assessment = Assessment.objects.get(cycle=cycle)
    client.force_login(owner)
    response = client.get(reverse("admin:staffing_assessment_change", args=[assessment.pk]))
    sending = _readonly(response, "sending_unit")
    assert secondment.sending_unit.name in sending and "<a " not in sending
    assert "<a " in _readonly(response, "host_unit")


def test_the_city_administrator_gets_links(client, county, owner, city_admin):
    from governance.models import CoordinationItem

    item = CoordinationItem.objects.create(code="XT-T2", name="测试事项二", lead_sector="agriculture")
    case = case_raised(actor=owner, township=county.township_a, item=item).case
    client.force_login(city_admin)
    response = client.get(reverse("admin:cases_case_change", args=[case.pk]))
    assert f'href="{reverse("admin:auth_user_change", args=[owner.pk])}"' in _readonly(response, "raised_by")
