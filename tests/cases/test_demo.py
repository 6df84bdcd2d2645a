"""The demo tells cases in every state, some overdue, and service requests; loading twice adds nothing."""

from cases import demo as cases_demo
from cases.models import AssignmentState, Case, CaseAssignment, CaseState, ServiceRequest, ServiceRequestState
from governance import demo as governance_demo
from governance.models import HandlingMode, Sector, ServiceLevel
from tests.factories.cases import CoordinationItemFactory, ServiceItemFactory


def _catalogues():
    """Stand-ins for governance's demo catalogues (loaded before cases.demo in ``manage.py demo``)."""
    CoordinationItemFactory(code="XT-DEMO-01", lead_sector=Sector.AGRICULTURE, co_sectors=[Sector.WATER])
    ServiceItemFactory(code="FW-DEMO-V1", level=ServiceLevel.VILLAGE, handling_mode=HandlingMode.VILLAGE)
    ServiceItemFactory(code="FW-DEMO-V2", level=ServiceLevel.VILLAGE, handling_mode=HandlingMode.VILLAGE_TO_TOWNSHIP)
    ServiceItemFactory(
        code="FW-DEMO-T1",
        level=ServiceLevel.TOWNSHIP,
        handling_mode=HandlingMode.TOWNSHIP,
        statutory_limit_days=20,
        promised_limit_days=10,
    )


def test_demo_cases_cover_every_state_and_load_idempotently(db):
    _catalogues()
    demo = governance_demo.load()
    cases_demo.load(demo)
    states = set(CaseAssignment.objects.values_list("state", flat=True))
    assert states == set(AssignmentState.values)
    assert set(Case.objects.values_list("state", flat=True)) == {CaseState.OPEN, CaseState.CLOSED}
    assert CaseAssignment.objects.filter(overdue=True).exists()
    assert CaseAssignment.objects.filter(escalated_at__isnull=False).exists()
    assert CaseAssignment.objects.filter(round=2).exists()
    assert set(ServiceRequest.objects.values_list("state", flat=True)) == set(ServiceRequestState.values)
    counts = (Case.objects.count(), CaseAssignment.objects.count(), ServiceRequest.objects.count())
    cases_demo.load(governance_demo.load())
    assert (Case.objects.count(), CaseAssignment.objects.count(), ServiceRequest.objects.count()) == counts
