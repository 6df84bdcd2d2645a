"""The demo's work beyond cases: an inspection whose two findings became cases (one closed), a task
force with one overdue milestone, branch pairs with one village left out and one pair idle;
loading twice adds nothing."""

from cases import demo as cases_demo
from cases import demo_work
from cases.branch_pairing import BranchPair
from cases.branch_services import pairs_without_activity, villages_without_pair
from cases.inspections import Inspection, InspectionFinding
from cases.models import CaseState, ServiceRequest
from cases.taskforces import TaskForce, TaskForceMilestone
from cases.terminals import VillageTerminal
from governance import demo as governance_demo
from governance.models import Unit
from tests.cases.test_demo import _catalogues


def _load():
    demo = governance_demo.load()
    cases_demo.load(demo)
    demo_work.load(demo)


def test_demo_work_loads_idempotently(db):
    _catalogues()
    _load()
    findings = InspectionFinding.objects.select_related("case")
    assert Inspection.objects.count() == 1 and findings.count() == 2
    assert sorted(finding.case.state for finding in findings) == [CaseState.CLOSED, CaseState.OPEN]
    assert TaskForce.objects.count() == 1
    overdue = TaskForceMilestone.objects.filter(overdue=True, done_at__isnull=True)
    assert overdue.count() == 1 and overdue.get().case is not None
    county = Unit.objects.get(name="清河县")
    without = villages_without_pair(villages=Unit.objects.filter(path__startswith=county.path))
    assert [village.name for village in without] == ["南街社区"]
    idle = pairs_without_activity(pairs=BranchPair.objects.all())
    assert [pair.village_branch.name for pair in idle] == ["西关村党支部"]
    assert VillageTerminal.objects.count() == 2
    assert ServiceRequest.objects.filter(village__name="西关村").count() == 2
    _load()
    assert BranchPair.objects.count() == 7 and VillageTerminal.objects.count() == 2
    assert (Inspection.objects.count(), InspectionFinding.objects.count(), TaskForceMilestone.objects.count()) == (
        1,
        2,
        3,
    )
