"""The training attendance sheet (培训名称, 身份证号, 是否出勤, 成绩; any column order): a township clerk
records which of its people attended a session. The person is found by ID number among the cadres and
the village two-committee members the user keeps; anyone else is answered as unknown, and audited."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_update_with_history

from governance.models import RefusalReason
from governance.spreadsheets import normalise
from governance.spreadsheets.bulk import insert_with_history
from governance.spreadsheets.resources import Column, Outcome, Row, SheetResource, rows_matching
from staffing.idnumbers import mask_id_number
from staffing.models import Cadre
from staffing.people.training import SCORE_WITHOUT_ATTENDANCE, TrainingAttendance, TrainingSession
from staffing.people.village_committees import VillageMember

SESSION_UNKNOWN = _("No training session “%(name)s” of your jurisdiction or the levels above it.")
PERSON_UNKNOWN = _("No cadre or village two-committee member of your jurisdiction has the ID number %(number)s.")
SESSION_AMBIGUOUS = _(
    "%(count)s training sessions you can see are named “%(name)s” (organised by %(organisers)s); "
    "rename one of them so that the name picks out a single session."
)
ROW_DUPLICATE = _("This person's attendance of this session is already in row %(row)s of the file.")


class AttendanceSheet(SheetResource):
    key = "trainingattendance"
    model = TrainingAttendance
    sheet_name = "培训出勤"
    label_field = None
    columns = (
        Column("培训名称", "session", example="2026年村“两委”干部初任培训班"),
        Column("身份证号", "id_number", normalise.long_number, example="410102196503082047"),
        Column("是否出勤", "attended", normalise.yes_no, rule="是 或 否"),
        Column("成绩", "score", normalise.number, required=False, rule="0–100，可不填；未出勤者不填"),
    )
    natural_key = ("session", "id_number")
    compared_fields = ("attended", "score")

    def prepare(self, rows: list[Row]) -> None:
        names = {row.values.get("session") for row in rows if row.values.get("session")}
        # Names are unique per organiser only: two counties may each hold a "初任培训班".
        self.sessions: dict[str, list[TrainingSession]] = {}
        visible = TrainingSession.objects.for_user(self.user).filter(name__in=names).select_related("organiser")
        for session in visible:
            self.sessions.setdefault(session.name, []).append(session)
        numbers = [row.values["id_number"] for row in rows if row.values.get("id_number")]
        self.cadres = {c.id_number: c for c in rows_matching(Cadre.objects.all(), "id_number", numbers)}
        self.members = {m.id_number: m for m in rows_matching(VillageMember.objects.all(), "id_number", numbers)}
        self.kept_cadres = set(
            Cadre.objects.for_user(self.user)
            .filter(pk__in=[c.pk for c in self.cadres.values()])
            .values_list("pk", flat=True)
        )
        named = [session for sessions in self.sessions.values() for session in sessions]
        self.existing = {
            (a.session_id, a.cadre_id or a.village_member_id, bool(a.cadre_id)): a
            for a in TrainingAttendance.objects.filter(session__in=named)
        }
        self.seen: dict[tuple, int] = {}

    def _session(self, name: str, errors: dict) -> TrainingSession | None:
        named = self.sessions.get(name, [])
        if len(named) == 1:
            return named[0]
        if len(named) > 1:
            organisers = "、".join(session.organiser.name for session in named)
            params = {"count": len(named), "name": name, "organisers": organisers}
            errors["session"] = ValidationError(SESSION_AMBIGUOUS, params=params)
        elif name:
            errors["session"] = ValidationError(SESSION_UNKNOWN, params={"name": name})
        return None

    def build(self, row: Row) -> None:
        values, errors = row.values, {}
        session = self._session(values.get("session") or "", errors)
        person = self._person(row, errors)
        key = (session.pk if session else None, person.pk if person else None, isinstance(person, Cadre))
        if session and person and key in self.seen:
            errors["id_number"] = ValidationError(ROW_DUPLICATE, params={"row": self.seen[key]})
        elif session and person:
            self.seen[key] = row.number
        if values.get("attended") is False and values.get("score") is not None:
            errors["score"] = SCORE_WITHOUT_ATTENDANCE
        if errors:
            raise ValidationError(errors)
        attendance = self.existing.get(key)
        before = self.snapshot(attendance) if attendance else None
        if attendance is None:
            attendance = TrainingAttendance(session=session, **{"cadre" if key[2] else "village_member": person})
        attendance.attended = values.get("attended")
        attendance.score = values.get("score")
        row.instance = attendance
        self.clean_instance(attendance, exclude={"session", "cadre", "village_member", *row.failed})
        if before is None:
            row.outcome = Outcome.NEW
        else:
            row.outcome = (
                Outcome.UPDATED if self.changed(attendance, before, self.compared_fields) else Outcome.UNCHANGED
            )

    def _person(self, row: Row, errors: dict):
        number = row.values.get("id_number")
        if not number:
            return None
        cadre = self.cadres.get(number)
        if cadre is not None and cadre.pk in self.kept_cadres:
            return cadre
        member = self.members.get(number)
        if member is not None and self.in_scope(member.village_id):
            return member
        if cadre is not None or member is not None:
            self.refuse_outside(row, RefusalReason.CADRE_OUTSIDE, number)
        errors["id_number"] = ValidationError(PERSON_UNKNOWN, params={"number": number})
        return None

    def write(self, created: list, updated: list) -> None:
        insert_with_history(TrainingAttendance, created, user=self.user)
        if updated:
            bulk_update_with_history(
                updated, TrainingAttendance, fields=list(self.compared_fields), batch_size=2000, default_user=self.user
            )

    def export_queryset(self):
        return (
            TrainingAttendance.objects.for_user(self.user)
            .select_related("session", "cadre", "village_member")
            .order_by("pk")
        )

    def export_values(self, attendance: TrainingAttendance) -> list:
        return [
            attendance.session.name,
            mask_id_number(attendance.person.id_number),
            "是" if attendance.attended else "否",
            attendance.score,
        ]
