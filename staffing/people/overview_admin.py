"""The township overview screens (issue 15, "Done when"): the county summary table (one row per
township, the county's totals above it) and each township's page, read-only, linking to the lists."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from governance.admin.scoped import ScopedModelAdmin
from governance.models import Unit, UnitLevel
from staffing.people import leadership_services, training_services
from staffing.people.leadership_teams import TeamPosition
from staffing.people.overview import TownshipOverview, township_overviews
from staffing.people.posting_services import unit_postings
from staffing.people.township_staff_services import mismatch, office_headcounts
from staffing.people.village_committees import VillageCommittee
from staffing.people.village_services import with_heads


def _link(name: str, label, **filters) -> str:
    query = "&".join(f"{key}={value}" for key, value in filters.items())
    return format_html('<a href="{}?{}">{}</a>', reverse(f"admin:staffing_{name}_changelist"), query, label)


def _table(headers, rows) -> str:
    head = format_html_join("", "<th>{}</th>", ((header,) for header in headers))
    body = format_html_join(
        "", "<tr>{}</tr>", ((format_html_join("", "<td>{}</td>", ((cell,) for cell in row)),) for row in rows)
    )
    return format_html('<table class="people-overview"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>', head, body)


def _people(queryset) -> str:
    return "、".join(person.name for person in queryset[:200]) or "—"


def _structure_html(structure) -> str:
    rows = [
        (_("posts"), structure.posts),
        (_("vacancies"), structure.vacancies),
        (_("women"), structure.women),
        (_("average age"), structure.average_age if structure.average_age is not None else "—"),
        *((format_html("{} {}", _("age"), label), n) for label, n in structure.age_rows()),
        *structure.education_rows(),
    ]
    return _table((_("structure"), _("number")), rows)


def _shares_html(shares) -> str:
    rows = [
        (share.group, share.people, share.trained, f"{share.percent}%", share.never_first_appointment)
        for share in shares
    ]
    headers = (_("group"), _("people"), _("trained this year"), _("share"), _("never had first-appointment training"))
    return _table(headers, rows)


@admin.register(TownshipOverview)
class TownshipOverviewAdmin(ScopedModelAdmin):
    change_list_template = "admin/staffing/townshipoverview/change_list.html"
    list_display = (
        "name",
        "parent",
        "team",
        "team_vacancies",
        "staff_against_posts",
        "seconded_in",
        "posted_in",
        "posted_out",
        "villages_lacking_heads",
        "untrained",
    )
    list_display_links = ("name",)
    list_select_related = ("parent",)
    list_filter = ("parent",)
    unit_filters = {"parent": (UnitLevel.COUNTY,)}
    search_fields = ("name", "code")
    fields = ("leadership_team", "offices", "postings", "committees", "training")
    readonly_fields = fields
    ordering = ("path",)

    def get_queryset(self, request):
        return township_overviews(user=request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def history_view(self, request, object_id, extra_context=None):
        """A township's history is its unit's: send the user to the unit's (scoped) history page."""
        unit = self.get_object(request, unquote(object_id))
        if unit is None:
            raise Http404
        return HttpResponseRedirect(reverse("admin:governance_unit_history", args=[unit.pk]))

    def changelist_view(self, request, extra_context=None):
        counties = Unit.objects.for_user(request.user).filter(level=UnitLevel.COUNTY).order_by("path")
        summaries = []
        for county in counties:
            townships = Unit.objects.filter(parent=county, level=UnitLevel.TOWNSHIP)
            structure = leadership_services.team_structure(townships)
            summaries.append(
                (county, _structure_html(structure), _shares_html(training_services.training_shares(townships)))
            )
        extra_context = {**(extra_context or {}), "county_summaries": summaries}
        return super().changelist_view(request, extra_context)

    # --- the summary table's columns ---

    @admin.display(description=_("team: held / posts"))
    def team(self, township):
        return f"{township.team_posts - township.team_vacancies} / {township.team_posts}"

    @admin.display(description=_("vacancies"), ordering="team_vacancies")
    def team_vacancies(self, township):
        return township.team_vacancies

    @admin.display(description=_("office staff / posts"), ordering="office_gap")
    def staff_against_posts(self, township):
        return f"{township.office_staff} / {township.office_posts}"

    @admin.display(description=_("seconded in (派驻)"), ordering="seconded_in")
    def seconded_in(self, township):
        return township.seconded_in

    @admin.display(description=_("posted in"), ordering="posted_in")
    def posted_in(self, township):
        return township.posted_in

    @admin.display(description=_("posted out"), ordering="posted_out")
    def posted_out(self, township):
        return township.posted_out

    @admin.display(description=_("villages lacking a head"), ordering="villages_lacking_heads")
    def villages_lacking_heads(self, township):
        return township.villages_lacking_heads

    @admin.display(description=_("untrained this year"), ordering="untrained")
    def untrained(self, township):
        return township.untrained

    # --- the township's page ---

    @admin.display(description=_("leadership team"))
    def leadership_team(self, township):
        positions = TeamPosition.objects.filter(township=township).select_related("holder")
        rows = [
            (
                str(position.get_post_display()) + (f" {position.seat}" if position.seat > 1 else ""),
                position.holder.name if position.holder_id else format_html("<strong>{}</strong>", _("Vacant")),
                position.holder.get_education_display() if position.holder_id else "",
            )
            for position in positions
        ]
        structure = leadership_services.team_structure([township])
        return format_html(
            "{}{}<p>{}</p>",
            _table((_("post"), _("holder"), _("education")), rows),
            _structure_html(structure),
            _link("teamposition", _("All posts of the team"), township__id__exact=township.pk),
        )

    @admin.display(description=_("offices and staff against posts"))
    def offices(self, township):
        rows = [
            (
                office.name,
                f"{office.administrative} / {office.administrative_quota}",
                f"{office.institution} / {office.institution_quota}",
                office.unestablished,
                format_html("<strong>⚠ {}</strong>", _("Do not match")) if mismatch(office) else _("Match"),
            )
            for office in office_headcounts([township])
        ]
        headers = (
            _("office"),
            _("administrative: people / posts"),
            _("institution: people / posts"),
            _("without establishment"),
            _("people and posts"),
        )
        return format_html(
            "{}<p>{}</p>",
            _table(headers, rows),
            _link("officestaff", _("Staff of the offices"), township=township.pk),
        )

    @admin.display(description=_("seconded and exchanged cadres"))
    def postings(self, township):
        rows = [
            (
                row.kind,
                row.cadre.name,
                row.from_unit.name,
                row.host,
                row.post,
                row.start_date,
                row.end or "—",
                _("yes") if row.township_powers else _("no"),
            )
            for row in unit_postings(township)
        ]
        headers = (
            _("kind"),
            _("cadre"),
            _("from"),
            _("host"),
            _("post"),
            _("start"),
            _("planned end"),
            _("township powers"),
        )
        return _table(headers, rows)

    @admin.display(description=_("village two committees"))
    def committees(self, township):
        rows = [
            (
                village.name,
                _("yes") if village.has_secretary else format_html("<strong>{}</strong>", _("missing")),
                _("yes") if village.has_director else format_html("<strong>{}</strong>", _("missing")),
            )
            for village in with_heads(VillageCommittee.objects.filter(parent=township)).order_by("path")
        ]
        return format_html(
            "{}<p>{}</p>",
            _table((_("village"), _("party branch secretary"), _("villagers' committee director")), rows),
            _link("villagemember", _("Members of these committees"), township=township.pk),
        )

    @admin.display(description=_("training this year"))
    def training(self, township):
        cadres, members = training_services.untrained([township])
        never_cadres, never_members = training_services.never_first_appointment([township])
        return format_html(
            "{}<p><strong>{}</strong>：{}</p><p><strong>{}</strong>：{}</p>",
            _shares_html(training_services.training_shares([township])),
            _("Untrained this year"),
            _people(cadres.order_by("name")) + "；" + _people(members.order_by("name")),
            _("Never had first-appointment training"),
            _people(never_cadres.order_by("name")) + "；" + _people(never_members.order_by("name")),
        )
