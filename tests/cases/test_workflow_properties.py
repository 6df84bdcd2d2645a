"""The case workflow under any sequence of steps by anyone (issue 11: property-based).

Hypothesis plays the township, both departments, the county centre and an outsider, each taking
any step on any assignment with any input. Every call either succeeds or is refused with a
``ValidationError`` that writes nothing; after every call the rules hold: one live assignment per
department and case, and a case is closed exactly when nothing is left to do on it.
"""

from django.core.exceptions import ValidationError
from django.test import TestCase
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from cases.assignments import (
    assignment_accept,
    assignment_decline,
    assignment_escalate,
    assignment_feedback,
    assignment_reassign,
    assignment_respond,
)
from cases.models import LIVE_STATES, AssignmentState, Case, CaseAssignment, CaseState, CaseTransition, Rating
from cases.raising import case_department_add, case_raise
from cases.ratings import assignment_rate
from governance.access import role_assign
from governance.models import Sector
from governance.roles import Role
from tests.factories.cases import CoordinationItemFactory
from tests.factories.governance import (
    CityFactory,
    CountyFactory,
    DepartmentFactory,
    TownshipFactory,
    UserFactory,
    VillageFactory,
)

ROLES = ["clerk", "supervisor", "agri", "housing", "water", "centre", "outsider"]
STILL_TO_DO = [
    AssignmentState.ASSIGNED,
    AssignmentState.ACCEPTED,
    AssignmentState.IN_PROGRESS,
    AssignmentState.RESPONDED,
    AssignmentState.DECLINED,
]
texts = st.sampled_from(["", "  ", "已处理", "x" * 300])


def _world():
    city = CityFactory()
    county = CountyFactory(parent=city)
    township = TownshipFactory(parent=county)
    VillageFactory(parent=township)
    other = TownshipFactory(parent=county)
    departments = {
        "agri": DepartmentFactory(parent=county, sector=Sector.AGRICULTURE),
        "housing": DepartmentFactory(parent=county, sector=Sector.HOUSING_CONSTRUCTION),
        "water": DepartmentFactory(parent=county, sector=Sector.WATER),
    }
    people = {}
    for name, role, unit in [
        ("clerk", Role.TOWNSHIP_CLERK, township),
        ("supervisor", Role.TOWNSHIP_SUPERVISOR, township),
        ("agri", Role.DEPARTMENT_OFFICER, departments["agri"]),
        ("housing", Role.DEPARTMENT_OFFICER, departments["housing"]),
        ("water", Role.DEPARTMENT_OFFICER, departments["water"]),
        ("centre", Role.COUNTY_GOVERNANCE_CENTRE, county),
        ("outsider", Role.TOWNSHIP_CLERK, other),
    ]:
        people[name] = UserFactory()
        role_assign(user=people[name], unit=unit, role=role)
    item = CoordinationItemFactory(lead_sector=Sector.AGRICULTURE)
    return township, departments, people, item


class CaseWorkflow(RuleBasedStateMachine):
    world = None  # set by the test: built once, shared by every example

    def __init__(self):
        super().__init__()
        township, self.departments, self.people, item = self.world
        self.case = case_raise(
            actor=self.people["clerk"],
            township=township,
            item=item,
            title="巡查发现问题",
            description="情况描述",
            priority="normal",
            co_sectors=[Sector.HOUSING_CONSTRUCTION],
        ).case

    def _officer_of(self, assignment):
        return next(self.people[name] for name, unit in self.departments.items() if unit.pk == assignment.department_id)

    def _assignment(self, index):
        assignments = list(self.case.assignments.order_by("pk"))
        return assignments[index % len(assignments)]

    def _try(self, call):
        """The step either succeeds and writes its transition, or is refused and writes nothing."""
        before = CaseTransition.objects.filter(case=self.case).count()
        states = list(self.case.assignments.order_by("pk").values_list("state", "round", "escalated_at"))
        try:
            call()
        except ValidationError as refusal:
            assert refusal.messages, "a refusal names its rule"
            assert CaseTransition.objects.filter(case=self.case).count() == before
            assert list(self.case.assignments.order_by("pk").values_list("state", "round", "escalated_at")) == states
        else:
            assert CaseTransition.objects.filter(case=self.case).count() > before

    @rule(
        index=st.integers(0, 5),
        text=st.sampled_from(["已处理", "仍有问题"]),
        rating=st.sampled_from(Rating.values),
        department=st.sampled_from(["agri", "housing", "water"]),
    )
    def advance(self, index, text, rating, department):
        """The next step of an assignment, by the one whose step it is, so cases get somewhere."""
        assignment = self._assignment(index)
        officer, supervisor, centre = self._officer_of(assignment), self.people["supervisor"], self.people["centre"]
        calls = {
            AssignmentState.ASSIGNED: lambda: assignment_accept(actor=officer, assignment=assignment),
            AssignmentState.ACCEPTED: lambda: assignment_feedback(actor=officer, assignment=assignment, feedback=text),
            AssignmentState.IN_PROGRESS: lambda: assignment_respond(
                actor=officer, assignment=assignment, response=text
            ),
            AssignmentState.RESPONDED: lambda: assignment_rate(
                actor=supervisor, assignment=assignment, rating=rating, comment=text
            ),
            AssignmentState.DECLINED: lambda: assignment_reassign(
                actor=centre, assignment=assignment, department=self.departments[department]
            ),
        }
        if assignment.state in calls:
            self._try(calls[assignment.state])

    @rule(
        who=st.sampled_from([None, *ROLES]),
        index=st.integers(0, 5),
        step=st.sampled_from(["accept", "feedback", "respond", "decline", "escalate"]),
        text=texts,
    )
    def department_or_centre_step(self, who, index, step, text):
        """``who`` None: the one whose step it is (the department, the centre to escalate)."""
        assignment = self._assignment(index)
        if who is None:
            actor = self.people["centre"] if step == "escalate" else self._officer_of(assignment)
        else:
            actor = self.people[who]
        calls = {
            "accept": lambda: assignment_accept(actor=actor, assignment=assignment),
            "feedback": lambda: assignment_feedback(actor=actor, assignment=assignment, feedback=text),
            "respond": lambda: assignment_respond(actor=actor, assignment=assignment, response=text),
            "decline": lambda: assignment_decline(actor=actor, assignment=assignment, reason=text),
            "escalate": lambda: assignment_escalate(actor=actor, assignment=assignment, reason=text),
        }
        self._try(calls[step])

    @rule(
        who=st.sampled_from(["supervisor", "supervisor", *ROLES]),
        index=st.integers(0, 5),
        rating=st.sampled_from([*Rating.values, "bogus"]),
        comment=texts,
    )
    def rate(self, who, index, rating, comment):
        assignment = self._assignment(index)
        self._try(
            lambda: assignment_rate(actor=self.people[who], assignment=assignment, rating=rating, comment=comment)
        )

    @rule(
        who=st.sampled_from(["centre", *ROLES]),
        index=st.integers(0, 5),
        department=st.sampled_from(["agri", "housing", "water"]),
    )
    def reassign(self, who, index, department):
        assignment = self._assignment(index)
        self._try(
            lambda: assignment_reassign(
                actor=self.people[who], assignment=assignment, department=self.departments[department]
            )
        )

    @rule(who=st.sampled_from(["centre", *ROLES]), department=st.sampled_from(["agri", "housing", "water"]))
    def add_department(self, who, department):
        self._try(
            lambda: case_department_add(actor=self.people[who], case=self.case, department=self.departments[department])
        )

    @invariant()
    def one_live_assignment_per_department(self):
        live = list(self.case.assignments.filter(state__in=LIVE_STATES).values_list("department_id", flat=True))
        assert len(live) == len(set(live))

    @invariant()
    def closed_exactly_when_nothing_is_left(self):
        case = Case.objects.get(pk=self.case.pk)
        left = CaseAssignment.objects.filter(case=case, state__in=STILL_TO_DO).exists()
        assert (case.state == CaseState.CLOSED) == (not left)
        assert (case.closed_at is None) == (case.state == CaseState.OPEN)


class WorkflowProperties(TestCase):
    def test_any_sequence_of_steps_keeps_the_rules(self):
        CaseWorkflow.world = _world()
        run_state_machine_as_test(
            CaseWorkflow,
            settings=settings(
                max_examples=40, stateful_step_count=30, deadline=None, suppress_health_check=list(HealthCheck)
            ),
        )
