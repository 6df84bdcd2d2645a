"""Cases and service requests of a generated city, in bulk (issue 12: a million cases to measure by).

Each case is told as the services would have told it, from its raising to the moment of
generation: the departments of its item report on the "13710" dues of the working-day calendar,
mostly on time and sometimes late, some decline and are reassigned, some responses are returned
as unsatisfied for a second round, and the sweep's overdue marks and escalations fall where the
clock puts them. Rows go straight to the tables (``governance.generator.writer``) with the same
columns, relations and constraints the services would leave; the records' simple-history tables
are left empty (a generated city has no past edits to show).
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from cases.deadlines import SWEEP_ESCALATION_REASON
from cases.models import (
    AssignmentState,
    Case,
    CaseAssignment,
    CaseCounter,
    CaseState,
    CaseTransition,
    DeskLevel,
    Rating,
    ServiceRequest,
    ServiceRequestAction,
    ServiceRequestState,
    ServiceRequestTransition,
    TransitionAction,
)
from governance.generator.names import person
from governance.generator.tree import County, GeneratedCity, Township
from governance.generator.writer import TableWriter
from governance.models import (
    CasePriority,
    CoordinationItem,
    HandlingMode,
    PortfolioDepartment,
    ServiceItem,
    ServiceLevel,
)
from governance.workdays import WorkdayCalendar, WorkingHours, due_at_close, workday_calendar, working_hours
from staffing.idnumbers import id_number_compose

BEIJING = ZoneInfo("Asia/Shanghai")
PRIORITIES = [(CasePriority.NORMAL, 80), (CasePriority.URGENT, 15), (CasePriority.CRITICAL, 5)]
ON_TIME = 0.88
# A step that never comes (the backlog every county has): the record stays open, overdue, escalated.
STALLED = 0.01
PROBLEMS = (
    "垃圾堆放",
    "道路破损",
    "排水不畅",
    "违章搭建",
    "占道经营",
    "噪音扰民",
    "秸秆焚烧",
    "河道淤塞",
    "路灯不亮",
    "危房隐患",
    "饮水困难",
    "燃气隐患",
    "农田积水",
    "沟渠塌方",
    "树木倒伏",
    "污水外溢",
    "工资拖欠",
    "邻里纠纷",
)
FEEDBACK = ("已到现场核查，正在制定处置方案。", "已安排人员处理，预计三日内完成。", "已联系相关单位协同处置。")
RESULTS = ("已处置完毕，现场恢复正常。", "问题已整改，已回访群众。", "已完成修复，群众满意。")
COMMENTS = ("处置及时。", "效果良好。", "")
RETURNS = ("问题未彻底解决，请再次处置。", "群众反映仍有隐患，请复查。")
# Henan birthplace codes python-stdnum knows (Zhengzhou, Kaifeng, Luoyang, Zhoukou…), for applicants.
REGIONS = ("410102", "410105", "410184", "410203", "410302", "411602", "411702", "410822", "412723")


def _pick(rng: random.Random, weighted):
    return rng.choices([value for value, _ in weighted], weights=[weight for _, weight in weighted])[0]


class Clock:
    """Working-day dues as ``cases.deadlines`` counts them, memoised by (date, part of the day,
    days): a million cases start on a thousand dates, and a due depends on nothing else."""

    def __init__(self, calendar: WorkdayCalendar, hours: WorkingHours | None = None):
        self.calendar = calendar
        self.hours = hours or working_hours()
        self.dates: dict[tuple, datetime] = {}

    def due(self, start: datetime, days: int) -> datetime:
        local = start.astimezone(BEIJING)
        clock = local.time()
        part = 0 if clock < self.hours.opens else 1 if clock < self.hours.closes else 2
        key = (local.date(), part, days)
        if key not in self.dates:
            self.dates[key] = due_at_close(local, days, self.calendar, self.hours)
        return self.dates[key]

    def guessed(self, start: datetime, end: datetime) -> str:
        years = [year for year in range(start.year, end.year + 1) if year in self.calendar.guessed_years]
        return ",".join(map(str, years))


@dataclass
class Round:
    """One assignment's row as the story leaves it, and its steps."""

    department: object
    started: datetime
    dues: tuple
    created_at: datetime
    state: str = AssignmentState.ASSIGNED
    round: int = 1
    accepted_at: datetime | None = None
    feedback_at: datetime | None = None
    responded_at: datetime | None = None
    feedback: str = ""
    response: str = ""
    rating: str = ""
    rating_comment: str = ""
    overdue: bool = False
    escalated_at: datetime | None = None
    escalated_to: int | None = None
    reassigned_to: "Round | None" = None
    steps: list[tuple] = field(default_factory=list)  # (action, from, to, reason, rating, on_time, actor, at)
    row_id: int = 0


class CaseWriter:
    def __init__(self, rng: random.Random, city: GeneratedCity, now: datetime):
        self.rng, self.city, self.now = rng, city, now
        self.clock = Clock(workday_calendar())
        self.items = list(CoordinationItem.objects.filter(active=True).order_by("code").prefetch_related("deadlines"))
        # (first round, redo round after an unsatisfied rating), as the services read them.
        self.profiles = {
            (item.pk, priority): (item.deadline_profile(priority), item.deadline_profile(priority, redo=True))
            for item in self.items
            for priority in CasePriority
        }
        self.deputies = dict(PortfolioDepartment.objects.values_list("department_id", "post_id"))
        self.cases = TableWriter(Case)
        self.assignments = TableWriter(CaseAssignment)
        self.steps = TableWriter(CaseTransition)
        self.sequences: dict[tuple[int, int], int] = {}
        self.busy: set[int] = set()

    # --- the story of one case ---

    def tell(self, county: County, township: Township, raised_at: datetime) -> None:
        rng = self.rng
        item = rng.choice(self.items)
        priority = _pick(rng, PRIORITIES)
        profile = self.profiles[(item.pk, priority)]
        village = rng.choice(township.villages) if rng.random() < 0.75 else None
        sectors = [
            item.lead_sector,
            *rng.sample(item.co_sectors, k=min(len(item.co_sectors), rng.choice([0, 0, 1, 2]))),
        ]
        departments = [county.departments[sector] for sector in sectors if sector in county.departments]
        self.busy = {department.pk for department in departments}  # one live assignment per department
        rounds = []
        for department in departments:
            rounds += self._assignment(county, township, department, raised_at, profile)
        self._write_case(county, township, village, item, priority, raised_at, rounds)

    def _dues(self, start: datetime, profile) -> tuple:
        return tuple(
            self.clock.due(start, days)
            for days in (profile.accept_days, profile.feedback_days, profile.resolve_days, profile.close_days)
        )

    def _when(self, after: datetime, due: datetime) -> tuple[datetime, bool]:
        """When a step is taken: before its due mostly, sometimes late."""
        if self.rng.random() < ON_TIME and due > after:
            return after + (due - after) * self.rng.uniform(0.1, 0.9), True
        return max(after, due) + timedelta(hours=self.rng.uniform(1, 72)), False

    def _assignment(self, county, township, department, start, profile, depth=0) -> list[Round]:
        """The rounds of one department's assignment (and of its reassignment, if it declined)."""
        rng, officer = self.rng, county.officers[department.sector]
        work = Round(department, start, self._dues(start, profile[0]), created_at=start)
        work.steps.append((TransitionAction.ASSIGN, "", AssignmentState.ASSIGNED, "", "", None, township.clerk, start))
        if depth == 0 and rng.random() < 0.05:
            return self._declined(county, township, work, officer, profile)
        while True:
            at = work.started
            for action, to_state, due in (
                (TransitionAction.ACCEPT, AssignmentState.ACCEPTED, work.dues[0]),
                (TransitionAction.FEEDBACK, AssignmentState.IN_PROGRESS, work.dues[1]),
                (TransitionAction.RESPOND, AssignmentState.RESPONDED, work.dues[2]),
            ):
                at, on_time = self._when(at, due)
                if at > self.now or rng.random() < STALLED:
                    self._left_pending(work)
                    return [work]
                self._step(work, action, to_state, officer, at, on_time)
            rated_at = at + timedelta(hours=rng.uniform(2, 60))
            if rated_at > self.now:
                return [work]
            rating = (
                Rating.UNSATISFIED
                if work.round == 1 and rng.random() < 0.08
                else _pick(rng, [(Rating.SATISFIED, 75), (Rating.BASICALLY_SATISFIED, 25)])
            )
            comment = rng.choice(RETURNS) if rating == Rating.UNSATISFIED else rng.choice(COMMENTS)
            to_state = AssignmentState.ASSIGNED if rating == Rating.UNSATISFIED else AssignmentState.COMPLETED
            work.steps.append(
                (
                    TransitionAction.RATE,
                    AssignmentState.RESPONDED,
                    to_state,
                    comment,
                    rating,
                    rated_at <= work.dues[3],
                    township.secretary,
                    rated_at,
                )
            )
            work.rating, work.rating_comment, work.state, work.overdue = rating, comment, to_state, False
            if to_state == AssignmentState.COMPLETED:
                return [work]
            # Returned: a second round with fresh dues, as assignment_rate starts it.
            work.round, work.started, work.dues = 2, rated_at, self._dues(rated_at, profile[1])
            work.accepted_at = work.feedback_at = work.responded_at = work.escalated_at = work.escalated_to = None

    def _step(self, work: Round, action, to_state, actor, at, on_time) -> None:
        text = {TransitionAction.FEEDBACK: FEEDBACK, TransitionAction.RESPOND: RESULTS}.get(action)
        reason = self.rng.choice(text) if text else ""
        work.steps.append((action, work.state, to_state, reason, "", on_time, actor, at))
        work.state, work.overdue = to_state, False
        if action == TransitionAction.ACCEPT:
            work.accepted_at = at
        elif action == TransitionAction.FEEDBACK:
            work.feedback_at, work.feedback = at, reason
        else:
            work.responded_at, work.response = at, reason

    def _left_pending(self, work: Round) -> None:
        """Where the clock stopped a department's work: the sweep's marks (overdue, escalated)."""
        due = {AssignmentState.ASSIGNED: work.dues[0], AssignmentState.ACCEPTED: work.dues[1]}.get(
            work.state, work.dues[2]
        )
        last = work.steps[-1][-1]
        if due < self.now:
            work.overdue = True
            work.steps.append((TransitionAction.OVERDUE, work.state, work.state, "", "", None, None, max(due, last)))
        if work.dues[2] < self.now:
            work.escalated_at = max(work.dues[2], last) + timedelta(minutes=5)
            work.escalated_to = self.deputies.get(work.department.pk)
            work.overdue = True
            work.steps.append(
                (
                    TransitionAction.ESCALATE,
                    work.state,
                    work.state,
                    str(SWEEP_ESCALATION_REASON),
                    "",
                    None,
                    None,
                    work.escalated_at,
                )
            )

    def _declined(self, county, township, work: Round, officer, profile) -> list[Round]:
        rng = self.rng
        at, _on_time = self._when(work.started, work.dues[0])
        if at > self.now:
            self._left_pending(work)
            return [work]
        reason = "不属本部门职责，请改派。"
        work.steps.append(
            (TransitionAction.DECLINE, work.state, AssignmentState.DECLINED, reason, "", None, officer, at)
        )
        work.state = AssignmentState.DECLINED
        moved_at = at + timedelta(hours=rng.uniform(1, 48))
        # The centre reassigns to a department not yet on the case (never the organisation department).
        others = [d for sector, d in county.departments.items() if d.pk not in self.busy and sector != "organisation"]
        if moved_at > self.now or not others:
            return [work]
        target = rng.choice(others)
        self.busy.add(target.pk)
        work.steps.append(
            (
                TransitionAction.REASSIGN,
                AssignmentState.DECLINED,
                AssignmentState.REASSIGNED,
                f"→ {target.name}",
                "",
                None,
                county.centre,
                moved_at,
            )
        )
        work.state, work.overdue = AssignmentState.REASSIGNED, False
        new = self._assignment(county, township, target, moved_at, profile, depth=1)
        new[0].steps[0] = (*new[0].steps[0][:6], county.centre, moved_at)  # the centre assigned it
        work.reassigned_to = new[0]
        return [work, *new]

    # --- rows ---

    def _write_case(self, county, township, village, item, priority, raised_at, rounds: list[Round]) -> None:
        year = raised_at.year
        key = (township.unit.pk, year)
        sequence = self.sequences[key] = self.sequences.get(key, 0) + 1
        finished = all(r.state in (AssignmentState.COMPLETED, AssignmentState.REASSIGNED) for r in rounds)
        closed_at = max((step[-1] for r in rounds for step in r.steps), default=raised_at) if finished else None
        problem = self.rng.choice(PROBLEMS)
        where = village.name if village else township.unit.name
        case_id = self.cases.add(
            reference=f"{year}-{township.unit.code[:9]}-{sequence:04d}",
            year=year,
            sequence=sequence,
            township_id=township.unit.pk,
            village_id=village.pk if village else None,
            county_id=county.unit.pk,
            item_id=item.pk,
            title=f"{where}{problem}",
            description=f"群众反映{where}{problem}，请相关部门核实处置。",
            place=where,
            priority=priority,
            state=CaseState.CLOSED if finished else CaseState.OPEN,
            raised_by_id=township.clerk.pk,
            raised_at=raised_at,
            closed_at=closed_at,
            # What the assignments' trigger would make it (cases migration 0019): written with the
            # case, the trigger finds nothing to add as its assignments are copied in.
            departments=sorted({work.department.pk for work in rounds}),
        )
        self._step_row(
            (case_id, township.unit.pk),
            None,
            None,
            TransitionAction.RAISE,
            "",
            CaseState.OPEN,
            "",
            "",
            None,
            township.clerk,
            raised_at,
        )
        for work in rounds:
            work.row_id = self.assignments.new_id()
        for work in rounds:
            self._write_assignment(case_id, township, county, work)
        if finished:
            self._step_row(
                (case_id, township.unit.pk),
                None,
                None,
                TransitionAction.CLOSE,
                CaseState.OPEN,
                CaseState.CLOSED,
                "",
                "",
                None,
                township.secretary,
                closed_at,
            )

    def _write_assignment(self, case_id, township, county, work: Round) -> None:
        accept, feedback, resolve, close = work.dues
        self.assignments.add(
            row_id=work.row_id,
            case_id=case_id,
            department_id=work.department.pk,
            township_id=township.unit.pk,
            county_id=county.unit.pk,
            state=work.state,
            round=work.round,
            round_started_at=work.started,
            accept_due=accept,
            feedback_due=feedback,
            resolve_due=resolve,
            close_due=close,
            guessed_years=self.clock.guessed(work.started, close),
            accepted_at=work.accepted_at,
            feedback_at=work.feedback_at,
            responded_at=work.responded_at,
            feedback=work.feedback,
            response=work.response,
            rating=work.rating,
            rating_comment=work.rating_comment,
            overdue=work.overdue,
            escalated_at=work.escalated_at,
            escalated_to_id=work.escalated_to,
            reassigned_to_id=work.reassigned_to.row_id if work.reassigned_to else None,
            created_at=work.created_at,
        )
        for action, from_state, to_state, reason, rating, on_time, actor, at in work.steps:
            self._step_row(
                (case_id, township.unit.pk),
                work.row_id,
                work.department.pk,
                action,
                from_state,
                to_state,
                reason,
                rating,
                on_time,
                actor,
                at,
            )

    def _step_row(
        self, case, assignment_id, department_id, action, from_state, to_state, reason, rating, on_time, actor, at
    ) -> None:
        """One step of the case ``case`` (its id and its township's)."""
        case_id, township_id = case
        self.steps.add(
            case_id=case_id,
            township_id=township_id,
            assignment_id=assignment_id,
            department_id=department_id,
            action=action,
            from_state=from_state,
            to_state=to_state,
            reason=reason,
            rating=rating,
            on_time=on_time,
            actor_id=actor.pk if actor else None,
            at=at,
        )

    def tables(self) -> list[TableWriter]:
        """In the order their rows point at each other (flushed in this order)."""
        return [self.cases, self.assignments, self.steps]

    def finish(self) -> dict[str, int]:
        counters = TableWriter(CaseCounter)
        for (township_id, year), last in self.sequences.items():
            counters.add(township_id=township_id, year=year, last=last)
        return {
            "cases": self.cases.finish(),
            "assignments": self.assignments.finish(),
            "case steps": self.steps.finish(),
            "case counters": counters.finish(),
        }


class RequestWriter:
    """Service requests at the village and township desks, and their steps."""

    def __init__(self, rng: random.Random, now: datetime):
        self.rng, self.now = rng, now
        self.clock = Clock(workday_calendar())
        items = list(ServiceItem.objects.filter(active=True).order_by("code"))
        self.village_items = [item for item in items if item.level == ServiceLevel.VILLAGE]
        self.township_items = [item for item in items if item.level == ServiceLevel.TOWNSHIP]
        self.requests = TableWriter(ServiceRequest)
        self.steps = TableWriter(ServiceRequestTransition)

    def tell(self, county: County, township: Township, received_at: datetime) -> None:
        rng = self.rng
        at_village = rng.random() < 0.6
        item = rng.choice(self.village_items if at_village else self.township_items)
        village = township.villages[0] if at_village else None
        clerk = township.village_clerk if at_village else township.clerk
        gender = rng.choice(["male", "female"])
        born = received_at.date() - timedelta(days=rng.randint(18 * 365, 90 * 365))
        number = id_number_compose(rng.choice(REGIONS), born, rng.randrange(1, 999, 2) if gender == "male" else
                                   rng.randrange(0, 998, 2))  # fmt: skip
        due = self.clock.due(received_at, item.promised_limit_days)
        desk, state, handler = (
            DeskLevel.VILLAGE if at_village else DeskLevel.TOWNSHIP,
            ServiceRequestState.RECEIVED,
            clerk,
        )
        steps = [(ServiceRequestAction.LOG, "", state, "", desk, "", clerk, received_at)]
        at, result, finished = received_at, "", None
        for action in self._path(item, at_village):
            at = at + timedelta(hours=rng.uniform(0.5, 30))
            if at > self.now or rng.random() < STALLED:
                break
            to_state, to_desk, reason = self._outcome(action, state, desk)
            handler = (
                township.clerk if to_desk == DeskLevel.TOWNSHIP and action != ServiceRequestAction.FORWARD else clerk
            )
            steps.append((action, state, to_state, desk, to_desk, reason, handler, at))
            state, desk = to_state, to_desk
            if action in (ServiceRequestAction.COMPLETE, ServiceRequestAction.REJECT):
                result, finished = reason, at
                break
        request_id = self.requests.add(
            item_id=item.pk,
            township_id=township.unit.pk,
            village_id=village.pk if village else None,
            county_id=county.unit.pk,
            desk=desk,
            applicant_name=person(rng, gender),
            id_number=number,
            phone=f"13{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}",
            received_at=received_at,
            due_at=due,
            guessed_years=self.clock.guessed(received_at, due),
            state=state,
            handler_id=handler.pk,
            result=result,
            finished_at=finished,
        )
        for action, from_state, to_state, from_desk, to_desk, reason, actor, at in steps:
            self.steps.add(
                request_id=request_id,
                action=action,
                from_state=from_state,
                to_state=to_state,
                from_desk=from_desk,
                to_desk=to_desk,
                reason=reason,
                actor_id=actor.pk,
                at=at,
            )

    def _path(self, item, at_village) -> list[str]:
        passes_on = at_village and item.handling_mode == HandlingMode.VILLAGE_TO_TOWNSHIP
        last = ServiceRequestAction.REJECT if self.rng.random() < 0.04 else ServiceRequestAction.COMPLETE
        return [ServiceRequestAction.ACCEPT, *([ServiceRequestAction.FORWARD] if passes_on else []), last]

    def _outcome(self, action, state, desk) -> tuple[str, str, str]:
        if action == ServiceRequestAction.ACCEPT:
            return ServiceRequestState.ACCEPTED, desk, ""
        if action == ServiceRequestAction.FORWARD:
            return ServiceRequestState.ACCEPTED, DeskLevel.TOWNSHIP, ""
        if action == ServiceRequestAction.REJECT:
            return ServiceRequestState.REJECTED, desk, "材料不齐，已一次性告知需补充的材料。"
        return ServiceRequestState.COMPLETED, desk, "已办结。"

    def tables(self) -> list[TableWriter]:
        return [self.requests, self.steps]

    def finish(self) -> dict[str, int]:
        return {"service requests": self.requests.finish(), "service request steps": self.steps.finish()}


def moments(rng: random.Random, count: int, now: datetime, years: int = 3) -> list[datetime]:
    """``count`` moments over the last ``years`` years, in working hours, oldest first."""
    start = now - timedelta(days=365 * years)
    span = (now - start).total_seconds()
    picked = []
    for _ in range(count):
        moment = start + timedelta(seconds=rng.uniform(0, span))
        local = moment.astimezone(BEIJING)
        picked.append(local.replace(hour=rng.randint(8, 17), minute=rng.randint(0, 59), second=rng.randint(0, 59)))
    return sorted(moment for moment in picked if moment <= now)
