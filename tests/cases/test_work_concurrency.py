"""Race safety of issue 16's steps on PostgreSQL: a finding raises one case however many clicks
arrive at once; two publications of a power list never take the same number."""

import datetime

import pytest

from cases.inspection_services import finding_case_raise, finding_record, inspection_save
from cases.inspections import Inspection
from cases.models import Case
from governance.models import PowerListVersion
from governance.power_list import power_list_publish
from tests.cases.test_concurrency import _together
from tests.factories.catalogues import EnforcementItemFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_finding_raises_one_case_under_concurrent_clicks(postgres_only, county, colleague, item):
    inspection = inspection_save(
        actor=colleague,
        inspection=Inspection(
            township=county.township_a, leader="王建华", date=datetime.date(2026, 3, 2), places="东关村"
        ),
    )
    finding = finding_record(
        actor=colleague, inspection=inspection, title="排水沟堵塞", description="积水", item=item,
        priority="normal", raise_case=False,
    ).finding  # fmt: skip
    results = _together(*(lambda: finding_case_raise(actor=colleague, finding=finding) for _ in range(3)))
    assert len([result for result in results if not isinstance(result, Exception)]) == 1
    assert Case.objects.count() == 1


def test_concurrent_publications_take_distinct_numbers(postgres_only, county, colleague):
    EnforcementItemFactory(name="对违法占用耕地建房的处罚")
    results = _together(*(lambda: power_list_publish(actor=colleague, township=county.township_a) for _ in range(3)))
    published = [result for result in results if isinstance(result, PowerListVersion)]
    # The first publishes version 1; the others find nothing changed since (refused, not duplicated).
    assert [version.number for version in published] == [1]
    assert PowerListVersion.objects.count() == 1
