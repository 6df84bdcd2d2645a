"""The unit tree (DESIGN.md M1, the "王"-shaped structure).

city → county / district / new area → township / town / street → village / community,
with county departments and industrial-cluster committees hanging under their county.
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from governance.codes import (
    DIVISION_CODE_PARENT,
    credit_code_validate,
    division_code_prefix,
    division_code_validate,
)
from governance.scoping import ScopedQuerySet


class UnitLevel(models.TextChoices):
    CITY = "city", _("City level")
    COUNTY = "county", _("County level")
    TOWNSHIP = "township", _("Township level")
    VILLAGE = "village", _("Village level")
    ORGAN = "organ", _("County organ")


class UnitKind(models.TextChoices):
    CITY = "city", _("City")
    COUNTY = "county", _("County")
    DISTRICT = "district", _("District")
    NEW_AREA = "new_area", _("New area")
    TOWNSHIP = "township", pgettext_lazy("unit kind", "Township")
    TOWN = "town", _("Town")
    STREET = "street", _("Street")
    VILLAGE = "village", _("Village")
    COMMUNITY = "community", _("Community")
    DEPARTMENT = "department", _("County department")
    CLUSTER_COMMITTEE = "cluster_committee", _("Industrial-cluster committee")


LEVEL_OF_KIND = {
    UnitKind.CITY: UnitLevel.CITY,
    UnitKind.COUNTY: UnitLevel.COUNTY,
    UnitKind.DISTRICT: UnitLevel.COUNTY,
    UnitKind.NEW_AREA: UnitLevel.COUNTY,
    UnitKind.TOWNSHIP: UnitLevel.TOWNSHIP,
    UnitKind.TOWN: UnitLevel.TOWNSHIP,
    UnitKind.STREET: UnitLevel.TOWNSHIP,
    UnitKind.VILLAGE: UnitLevel.VILLAGE,
    UnitKind.COMMUNITY: UnitLevel.VILLAGE,
    UnitKind.DEPARTMENT: UnitLevel.ORGAN,
    UnitKind.CLUSTER_COMMITTEE: UnitLevel.ORGAN,
}

# The level a unit's parent must have; the database trigger in migration 0002 holds the same rule.
PARENT_LEVEL = {
    UnitLevel.CITY: None,
    UnitLevel.COUNTY: UnitLevel.CITY,
    UnitLevel.TOWNSHIP: UnitLevel.COUNTY,
    UnitLevel.VILLAGE: UnitLevel.TOWNSHIP,
    UnitLevel.ORGAN: UnitLevel.COUNTY,
}


class Sector(models.TextChoices):
    """A department's line of work, so a catalogue item can name "the agriculture department"
    and every county resolve it to its own."""

    ORGANISATION = "organisation", _("Organisation")
    SOCIAL_GOVERNANCE = "social_governance", _("Social governance")
    DEVELOPMENT_REFORM = "development_reform", _("Development and reform")
    INDUSTRY_IT = "industry_it", _("Industry and information technology")
    FINANCE = "finance", _("Finance")
    HUMAN_RESOURCES = "human_resources", _("Human resources and social security")
    CIVIL_AFFAIRS = "civil_affairs", _("Civil affairs")
    AGRICULTURE = "agriculture", _("Agriculture and rural affairs")
    NATURAL_RESOURCES = "natural_resources", _("Natural resources")
    ECOLOGY_ENVIRONMENT = "ecology_environment", _("Ecology and environment")
    HOUSING_CONSTRUCTION = "housing_construction", _("Housing and urban-rural construction")
    TRANSPORT = "transport", _("Transport")
    WATER = "water", _("Water resources")
    CULTURE_TOURISM = "culture_tourism", _("Culture, radio, television and tourism")
    HEALTH = "health", _("Health")
    EDUCATION = "education", _("Education")
    EMERGENCY = "emergency", _("Emergency management")
    MARKET_REGULATION = "market_regulation", _("Market regulation")
    PUBLIC_SECURITY = "public_security", _("Public security")
    JUSTICE = "justice", _("Justice")
    URBAN_MANAGEMENT = "urban_management", _("Urban management")
    COMMERCE = "commerce", _("Commerce")
    VETERANS = "veterans", _("Veterans affairs")
    MEDICAL_SECURITY = "medical_security", _("Medical security")
    FORESTRY = "forestry", _("Forestry")


DEFAULT_STAFF_QUOTA = 100  # speech §二(二): "a township has about 100 staff, large ones 120 or 140"

PARENT_LEVEL_WRONG = _("A %(kind)s must sit under a %(parent_level)s unit.")
CITY_HAS_NO_PARENT = _("A city is the root of the tree and has no parent.")
PARENT_CYCLE = _("A unit cannot be placed under itself or one of its own subordinate units.")
SECTOR_REQUIRED = _("A county department must name its sector.")
SECTOR_ONLY_FOR_ORGANS = _("Only county departments and committees have a sector.")
QUOTA_ONLY_FOR_TOWNSHIPS = _("Only township-level units have a staff quota.")
QUOTA_POSITIVE = _("A township's staff quota is at least 1; leave it empty for the default of 100.")
LEVEL_CHANGE_WITH_CHILDREN = _("A unit with subordinate units cannot change to a different level.")


def _level_matches_kind_q() -> Q:
    condition = Q()
    for level in UnitLevel:
        kinds = [kind for kind, kind_level in LEVEL_OF_KIND.items() if kind_level == level]
        condition |= Q(level=level, kind__in=kinds)
    return condition


# Rows in other apps that copy a unit's place in the tree (a case's county) follow its move: each app
# registers a follower, called with the moved unit inside the moving transaction (issue 12).
_MOVE_FOLLOWERS: list[Callable[["Unit"], None]] = []


def unit_move_follow(follower: Callable[["Unit"], None]) -> None:
    if follower not in _MOVE_FOLLOWERS:
        _MOVE_FOLLOWERS.append(follower)


class UnitQuerySet(ScopedQuerySet):
    scope_fields = ("pk",)

    def subtree(self, unit: "Unit") -> "UnitQuerySet":
        """The unit and everything under it, in one query (materialised path prefix)."""
        return self.filter(path__startswith=unit.path)

    def township_level(self) -> "UnitQuerySet":
        return self.filter(level=UnitLevel.TOWNSHIP)


class Unit(models.Model):
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(
        _("code"),
        max_length=18,
        unique=True,
        help_text=_(
            "12-digit division code for territorial units; 18-character unified social credit code for departments."
        ),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    level = models.CharField(_("level"), max_length=10, choices=UnitLevel.choices, editable=False)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    # Codes from the root down, "/<code>/<code>/": a subtree is one prefix match.
    path = models.CharField(_("path"), max_length=200, editable=False)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices, blank=True)
    staff_quota = models.PositiveIntegerField(
        _("staff quota"),
        null=True,
        blank=True,
        help_text=_("Township-level units only; about 100, large ones 120 or 140."),
    )
    pilot = models.BooleanField(_("pilot"), default=False)

    history = HistoricalRecords()
    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        permissions = [
            ("see_unit_records", _("See the records of the unit and its subordinate units")),
            ("raise_case", _("Raise cases for the unit")),
            ("rate_case", _("Rate department responses to the unit's cases")),
            ("handle_assignment", _("Accept and respond to cases assigned to the unit")),
            ("coordinate_cases", _("Reassign, escalate and supervise the unit's cases")),
            ("log_service_request", _("Log service requests at the unit's desk")),
            ("draft_assessment", _("Draft assessments of cadres seconded to the unit")),
            ("approve_assessment", _("Approve or return assessments of the unit")),
            ("nominate_cadre", _("Nominate cadres seconded to the unit")),
            ("decide_appointment", _("Consent to or veto appointments of cadres seconded to the unit")),
            ("propose_appointment", _("Propose appointments of cadres of the unit")),
            ("decide_nomination", _("Accept or decline nominations of the unit")),
            ("view_personal_info", _("See personal information (ID numbers, phones) of the unit")),
            (
                "organise_cadres",
                _("Run the county's assessment cycles, settle their assessments and approve secondments"),
            ),
            ("receive_cadre", _("Confirm the arrival of cadres seconded to the unit")),
            ("chase_overdue", _("Chase the overdue steps of the unit's cases")),
        ]
        constraints = [
            models.CheckConstraint(
                name="unit_level_matches_kind",
                condition=_level_matches_kind_q(),
            ),
            models.CheckConstraint(
                name="unit_only_city_is_root",
                condition=Q(level=UnitLevel.CITY, parent__isnull=True)
                | (~Q(level=UnitLevel.CITY) & Q(parent__isnull=False)),
            ),
            models.CheckConstraint(
                name="unit_department_has_sector",
                condition=~Q(kind=UnitKind.DEPARTMENT) | ~Q(sector=""),
            ),
            models.CheckConstraint(
                name="unit_sector_only_for_organs",
                condition=Q(level=UnitLevel.ORGAN) | Q(sector=""),
            ),
            models.CheckConstraint(
                name="unit_quota_only_for_townships",
                condition=Q(level=UnitLevel.TOWNSHIP, staff_quota__gt=0)
                | (~Q(level=UnitLevel.TOWNSHIP) & Q(staff_quota__isnull=True)),
            ),
            # One department per sector in a county, so "the agriculture department" resolves.
            models.UniqueConstraint(
                fields=["parent", "sector"],
                condition=Q(kind=UnitKind.DEPARTMENT),
                name="unit_one_department_per_sector_per_county",
            ),
        ]
        indexes = [
            models.Index(fields=["level", "kind"], name="unit_level_kind"),
            # varchar_pattern_ops lets PostgreSQL use the index for "path LIKE 'prefix%'".
            models.Index(fields=["path"], name="unit_path_prefix", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self):
        return self.name

    # --- the materialised path is derived data, kept in step on every save ---

    def save(self, *args, **kwargs):
        """The path is built from the parent's path *as stored*, and the whole subtree is rewritten
        from this unit down in one statement. So a unit file saved in any order, a move, a code
        change, or a subtree whose paths were once computed wrongly all end with every path
        right (issue 10: the parent's in-memory path could be stale or not yet known)."""
        self.level = LEVEL_OF_KIND[self.kind]
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "path", "level"}
        with transaction.atomic():
            old_parent_id = Unit.objects.filter(pk=self.pk).values_list("parent_id", flat=True).first()
            self.path = f"{self._parent_stored_path()}{self.code}/"
            super().save(*args, **kwargs)
            _subtree_repath(self)
            if old_parent_id is not None and old_parent_id != self.parent_id:
                for follower in _MOVE_FOLLOWERS:
                    follower(self)

    def _parent_stored_path(self) -> str:
        parent = self.parent  # the cached instance, even one saved after it was assigned
        if parent is None:
            return "/"
        if parent.pk is None:
            raise ValueError(f"save() prohibited: the parent unit {parent.code} is not saved yet.")
        return Unit.objects.filter(pk=parent.pk).values_list("path", flat=True).get()

    # --- rules checked on every form and service (the database backs the level rules) ---

    def clean(self):
        """Every rule is judged, and all their errors are raised together (an import lists them all)."""
        self.level = LEVEL_OF_KIND.get(self.kind, "")
        if not self.level:
            return  # the field's own choice validation reports the missing kind
        errors = {}
        for check in (self._clean_parent, self._clean_code, self._clean_sector_and_quota):
            try:
                check()
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def _clean_parent(self):
        wanted = PARENT_LEVEL[self.level]
        if wanted is None:
            if self.parent_id:
                raise ValidationError({"parent": CITY_HAS_NO_PARENT})
            return
        # Checked before the level rule (which would also refuse it) to name the real mistake.
        stored_path = self._stored_path() if self.pk else ""
        if stored_path and self.parent is not None and self.parent.path.startswith(stored_path):
            raise ValidationError({"parent": PARENT_CYCLE})
        if self.parent is None or self.parent.level != wanted:
            raise ValidationError(
                {
                    "parent": ValidationError(
                        PARENT_LEVEL_WRONG,
                        params={"kind": self.get_kind_display(), "parent_level": UnitLevel(wanted).label},
                    )
                }
            )
        if self.pk and self._level_changed() and self.children.exists():
            raise ValidationError({"kind": LEVEL_CHANGE_WITH_CHILDREN})

    def _clean_code(self):
        if not self.code:
            return  # the field's own validation reports the blank code
        try:
            if self.level == UnitLevel.ORGAN:
                self.code = credit_code_validate(self.code)
                return
            division_code_validate(self.code, self.level)
            if self.parent is not None:
                prefix = division_code_prefix(self.parent.code, self.parent.level)
                if not self.code.startswith(prefix):
                    raise ValidationError(
                        DIVISION_CODE_PARENT,
                        params={"code": self.code, "prefix": prefix, "parent": self.parent.name},
                    )
        except ValidationError as error:
            raise ValidationError({"code": error}) from None

    def _clean_sector_and_quota(self):
        errors = {}
        if self.kind == UnitKind.DEPARTMENT and not self.sector:
            errors["sector"] = SECTOR_REQUIRED
        if self.level != UnitLevel.ORGAN and self.sector:
            errors["sector"] = SECTOR_ONLY_FOR_ORGANS
        if self.level == UnitLevel.TOWNSHIP and self.staff_quota is None:
            self.staff_quota = DEFAULT_STAFF_QUOTA
        if self.level != UnitLevel.TOWNSHIP and self.staff_quota is not None:
            errors["staff_quota"] = QUOTA_ONLY_FOR_TOWNSHIPS
        if self.level == UnitLevel.TOWNSHIP and self.staff_quota == 0:
            # The database refuses it too (unit_quota_only_for_townships), but that constraint names
            # the level, which no form holds, so the form would not ask it first (issue 11: a 500).
            errors["staff_quota"] = QUOTA_POSITIVE
        if errors:
            raise ValidationError(errors)

    def _stored_path(self) -> str:
        return Unit.objects.filter(pk=self.pk).values_list("path", flat=True).first() or ""

    def _level_changed(self) -> bool:
        return Unit.objects.filter(pk=self.pk).exclude(level=self.level).exists()

    @property
    def is_township_level(self) -> bool:
        return self.level == UnitLevel.TOWNSHIP


def _subtree_repath(unit: Unit) -> None:
    """Rewrite the path of every unit below ``unit`` from its parent's, in one statement.

    Follows ``parent_id`` (a recursive query), not the old path prefix, so it also repairs a
    subtree whose paths were wrong. The level rule (migration 0002's trigger) makes a cycle
    impossible: every step down the tree goes down a level."""
    table = connection.ops.quote_name(Unit._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH RECURSIVE subtree (id, path) AS (
                SELECT id, CAST(path AS TEXT) FROM {table} WHERE id = %s
                UNION ALL
                SELECT child.id, CAST(subtree.path || child.code || '/' AS TEXT)
                FROM {table} child JOIN subtree ON child.parent_id = subtree.id
            )
            UPDATE {table}
            SET path = (SELECT subtree.path FROM subtree WHERE subtree.id = {table}.id)
            WHERE id IN (SELECT id FROM subtree)
              AND path <> (SELECT subtree.path FROM subtree WHERE subtree.id = {table}.id)
            """,
            [unit.pk],
        )
