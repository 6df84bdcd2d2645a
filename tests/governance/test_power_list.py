"""The township power list (权责清单): composed from the catalogues in force and the township's own
powers, each with legal basis, office and matching responsibility; published as numbered
snapshots, a new one only when items were devolved or withdrawn; printable and exported; the
county sees each township's lists, the neighbouring township not another's."""

import csv
import datetime
import io

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from governance.models import PowerListVersion, TownshipPower
from governance.models.power_list import VERSION_FROZEN
from governance.power_list import (
    MAY_NOT_PUBLISH,
    NOTHING_CHANGED,
    power_list_changes,
    power_list_publish,
    township_power_save,
)
from governance.roles import Role
from tests.conftest import user_with_role
from tests.factories.catalogues import EnforcementItemFactory, ServiceItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_power(county, colleague):
    return township_power_save(
        actor=colleague,
        power=TownshipPower(
            township=county.township_a,
            code="XZ-001",
            name="村民委员会选举的指导",
            legal_basis="《中华人民共和国村民委员会组织法》第四条",
            office="党建工作办公室",
            responsibility="依法指导村民委员会换届选举。",
        ),
    )


def test_publishing_snapshots_and_versions_follow_devolution(county, colleague, own_power):
    item = EnforcementItemFactory(name="对违法占用耕地建房的处罚", effective_from=datetime.date(2025, 1, 1))
    first = power_list_publish(actor=colleague, township=county.township_a)
    assert first.number == 1
    assert {row["code"] for row in first.rows} == {item.code, own_power.code}
    with pytest.raises(ValidationError) as error:
        power_list_publish(actor=colleague, township=county.township_a)
    assert error.value.messages == [str(NOTHING_CHANGED) % {"number": 1}]
    item.effective_to = datetime.date(2025, 12, 31)  # withdrawn
    item.save()
    second = power_list_publish(actor=colleague, township=county.township_a, note="收回一项执法事项")
    assert second.number == 2 and {row["code"] for row in second.rows} == {own_power.code}
    first.refresh_from_db()
    assert len(first.rows) == 2  # the published version never changes


def test_only_the_townships_supervisor_publishes(county, owner, outsider):
    for actor in (owner, outsider):
        with pytest.raises(ValidationError) as error:
            power_list_publish(actor=actor, township=county.township_a)
        assert error.value.messages == [str(MAY_NOT_PUBLISH)]
    assert not PowerListVersion.objects.exists()


def test_the_county_prints_and_exports_the_neighbour_sees_nothing(client, county, colleague, outsider, own_power):
    version = power_list_publish(actor=colleague, township=county.township_a)
    centre = user_with_role("centre", Role.COUNTY_GOVERNANCE_CENTRE, county.county)
    client.force_login(centre)
    assert "城关镇" in client.get(reverse("admin:governance_powerlistversion_changelist")).content.decode()
    printed = client.get(reverse("admin:governance_powerlistversion_print", args=[version.pk])).content.decode()
    assert own_power.name in printed and own_power.legal_basis in printed
    exported = client.get(reverse("admin:governance_powerlistversion_export", args=[version.pk]))
    assert own_power.name in exported.content.decode("utf-8-sig")
    client.force_login(outsider)
    assert client.get(reverse("admin:governance_powerlistversion_print", args=[version.pk])).status_code == 404
    assert client.get(reverse("admin:governance_powerlistversion_export", args=[version.pk])).status_code == 404
    assert client.get(reverse("admin:governance_powerlistversion_publish")).status_code == 403


def test_the_supervisor_publishes_through_the_admin(client, county, colleague, own_power):
    client.force_login(colleague)
    url = reverse("admin:governance_powerlistversion_publish")
    shown = client.post(url, {"township": county.township_a.pk})
    assert own_power.code in shown.content.decode() and not PowerListVersion.objects.exists()
    published = client.post(url, {"township": county.township_a.pk, "note": "首次公布", "confirm": "1"})
    assert published.status_code == 302 and PowerListVersion.objects.get().number == 1


def test_a_published_version_is_frozen_even_through_the_model(county, colleague, own_power):
    version = power_list_publish(actor=colleague, township=county.township_a)
    version.rows = []
    with pytest.raises(ValidationError) as error:
        version.save()
    assert error.value.messages == [str(VERSION_FROZEN)]
    again = PowerListVersion(pk=version.pk, township=version.township, number=1, rows=[],
                             published_at=version.published_at, published_by=colleague)  # fmt: skip
    with pytest.raises(ValidationError):
        again.save()
    version.refresh_from_db()
    assert len(version.rows) == 1


def test_a_corrected_legal_basis_is_published_as_a_new_version(client, county, colleague, own_power):
    power_list_publish(actor=colleague, township=county.township_a)
    own_power.legal_basis = "《中华人民共和国村民委员会组织法》第五条"
    township_power_save(actor=colleague, power=own_power)
    changes = power_list_changes(township=county.township_a)
    assert (changes.added, changes.withdrawn, changes.corrected) == ([], [], [own_power.code])
    client.force_login(colleague)
    shown = client.post(reverse("admin:governance_powerlistversion_publish"), {"township": county.township_a.pk})
    assert own_power.code in shown.content.decode()
    second = power_list_publish(actor=colleague, township=county.township_a, note="更正法律依据")
    assert second.number == 2 and second.rows[0]["legal_basis"].endswith("第五条")


def test_a_service_item_and_an_own_power_sharing_a_code_are_both_listed(county, colleague, own_power):
    power_list_publish(actor=colleague, township=county.township_a)
    ServiceItemFactory(code=own_power.code, name="村民委员会选举咨询")
    changes = power_list_changes(township=county.township_a)
    assert changes.added == [own_power.code] and not changes.unchanged
    assert power_list_publish(actor=colleague, township=county.township_a).number == 2


def test_publishing_in_an_english_session_stores_chinese(county, colleague, own_power):
    with translation.override("en"):
        version = power_list_publish(actor=colleague, township=county.township_a)
    with translation.override(settings.LANGUAGE_CODE):
        own_kind = translation.gettext("Own statutory power")
    assert own_kind != "Own statutory power" and version.rows[0]["kind"] == own_kind


def test_the_export_never_hands_excel_a_formula(client, county, colleague):
    names = {"XZ-002": '=HYPERLINK("http://x")', "XZ-003": "+1", "XZ-004": "-1", "XZ-005": "@SUM(A1)"}
    for code, name in names.items():
        township_power_save(
            actor=colleague,
            power=TownshipPower(township=county.township_a, code=code, name=name, legal_basis="《条例》",
                                office="党建工作办公室", responsibility="依法履行。"),
        )  # fmt: skip
    version = power_list_publish(actor=colleague, township=county.township_a)
    client.force_login(colleague)
    exported = client.get(reverse("admin:governance_powerlistversion_export", args=[version.pk]))
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))[1:]
    assert sorted(row[2] for row in rows) == sorted(f"'{name}" for name in names.values())
