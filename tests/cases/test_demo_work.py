"""The demo's work beyond cases: an inspection whose two findings became cases (one closed), a task
force with one overdue milestone; loading twice adds nothing."""

from cases import demo as cases_demo
from cases import demo_work
from cases.inspections import Inspection, InspectionFinding
from cases.models import CaseState
from cases.taskforces import TaskForce, TaskForceMilestone
from governance import demo as governance_demo
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
    _load()
    assert (Inspection.objects.count(), InspectionFinding.objects.count(), TaskForceMilestone.objects.count()) == (
        1,
        2,
        3,
    )
