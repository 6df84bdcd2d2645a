"""Village service terminals (便民服务终端): kept by whoever logs the village's requests, offering
village-level items only; the terminal shows the requests logged at its village, linked not copied;
the neighbouring township sees none of it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.service_requests import service_request_log
from cases.terminal_services import (
    MAY_NOT_KEEP_TERMINAL,
    TERMINAL_ITEM_NOT_VILLAGE_LEVEL,
    terminal_requests,
    terminal_save,
)
from cases.terminals import VillageTerminal
from governance.models import HandlingMode, ServiceLevel
from tests.factories.cases import ServiceItemFactory

pytestmark = pytest.mark.django_db


def _terminal(actor, village, items=()):
    terminal = VillageTerminal(
        village=village, place="村党群服务中心一楼", keeper="张桂芳", keeper_phone="13903710001",
        opened_on=datetime.date(2026, 1, 5),
    )  # fmt: skip
    return terminal_save(actor=actor, terminal=terminal, items=list(items))


def test_a_terminal_offers_village_items_and_shows_the_requests_logged_there(client, county, owner, outsider):
    item = ServiceItemFactory(name="城乡居民养老保险参保登记")
    terminal = _terminal(owner, county.village_a, [item])
    service_request_log(
        actor=owner, desk=county.village_a, item=item, applicant_name="王秀兰", id_number="410102196503082047",
        phone="13903711234",
    )  # fmt: skip
    counts, requests = terminal_requests(terminal=terminal, user=owner)
    assert counts["total"] == 1 and [r.applicant_name for r in requests] == ["王秀兰"]
    client.force_login(owner)
    assert "王秀兰" in client.get(reverse("admin:cases_villageterminal_change", args=[terminal.pk])).content.decode()
    client.force_login(outsider)
    assert client.get(reverse("admin:cases_villageterminal_change", args=[terminal.pk])).status_code == 302


def test_refusals(county, owner, outsider):
    township_item = ServiceItemFactory(
        name="个体工商户注册登记", level=ServiceLevel.TOWNSHIP, handling_mode=HandlingMode.TOWNSHIP,
        statutory_limit_days=20, promised_limit_days=10,
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        _terminal(outsider, county.village_a)
    assert error.value.messages == [str(MAY_NOT_KEEP_TERMINAL)]
    with pytest.raises(ValidationError) as error:
        _terminal(owner, county.village_a, [township_item])
    assert error.value.message_dict["items"] == [str(TERMINAL_ITEM_NOT_VILLAGE_LEVEL) % {"item": township_item.name}]
    assert not VillageTerminal.objects.exists()
