"""Issue 12 on a small generated city: ``generate_city`` leaves the rows the services would have
left (references per township and year, the county copied right, a case closed exactly when
nothing is left, every overdue mark where the clock puts it, so the sweep finds nothing to do);
the main pages' query counts do not grow with their rows; on PostgreSQL no main page's query needs
a sequential scan of a big table (checked with ``enable_seqscan`` off, which leaves a sequential
scan in a plan only where no index can serve)."""

import pytest
from django.core.management import call_command
from django.db.models import Count, F
from django.test import Client

from cases.deadlines import assignments_sweep_overdue
from cases.models import (
    AssignmentState,
    Case,
    CaseAssignment,
    CaseCounter,
    CaseState,
    CaseTransition,
    ServiceRequest,
)
from governance.generator.tree import CITY_CODE
from governance.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    """One small city for the module, committed, flushed away afterwards."""
    from django.test import override_settings

    from tests.conftest import FAST_HASHERS

    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        call_command("flush", interactive=False, verbosity=0)
        call_command("generate_city", cases=300, counties=2, townships=3, villages=4, seed=7, verbosity=0)
        yield Unit.objects.get(code=CITY_CODE)
        call_command("flush", interactive=False, verbosity=0)


def test_the_rows_are_what_the_services_would_leave(generated):
    cases = Case.objects.filter(county__parent=generated)
    assert 270 < cases.count() <= 300
    assert not cases.exclude(county=F("township__parent")).exists()
    assert not CaseAssignment.objects.exclude(township=F("case__township")).exists()
    assert not CaseTransition.objects.exclude(township=F("case__township")).exists()
    assert not ServiceRequest.objects.exclude(county=F("township__parent")).exists()
    open_cases = set(
        CaseAssignment.objects.exclude(state__in=[AssignmentState.COMPLETED, AssignmentState.REASSIGNED]).values_list(
            "case_id", flat=True
        )
    )
    assert set(cases.filter(state=CaseState.OPEN).values_list("pk", flat=True)) == open_cases
    for counter in CaseCounter.objects.all():
        assert cases.filter(township=counter.township, year=counter.year).count() == counter.last
    assert {a.state for a in CaseAssignment.objects.all()} >= {AssignmentState.COMPLETED, AssignmentState.REASSIGNED}
    assert CaseAssignment.objects.filter(round=2).exists()
    assert assignments_sweep_overdue().marked_overdue == 0  # every mark the sweep would make is made
    departments = {}
    for case_id, department_id in CaseAssignment.objects.values_list("case_id", "department_id"):
        departments.setdefault(case_id, set()).add(department_id)
    for case_id, copied in cases.values_list("pk", "departments"):
        assert set(copied) == departments.get(case_id, set()), case_id


def test_the_generated_dues_are_those_the_services_compute(generated):
    """The generator counts dues as ``cases.deadlines`` does: office hours, a due at a day's close,
    the redo round on its own profile (issue 14)."""
    from cases.deadlines import dues_compute
    from governance.workdays import workday_calendar

    calendar = workday_calendar()
    rows = CaseAssignment.objects.select_related("case__item").order_by("pk")[:200]
    for row in rows:
        profile = row.case.item.deadline_profile(row.case.priority, redo=row.round > 1)
        dues = dues_compute(start=row.round_started_at, profile=profile, calendar=calendar)
        assert (row.accept_due, row.feedback_due, row.resolve_due, row.close_due) == (
            dues.accept_due,
            dues.feedback_due,
            dues.resolve_due,
            dues.close_due,
        ), row.pk


def test_the_generated_people_sign_in_and_see_their_own(generated):
    client = Client()
    signed_in = client.post("/admin/login/", {"username": "g01t01_clerk", "password": "Demo-2026-pass"})
    assert signed_in.status_code == 302
    page = client.get("/admin/cases/case/")
    assert page.status_code == 200
    township = Unit.objects.get(code=f"{CITY_CODE[:4]}01101000")
    assert {case.township_id for case in page.context["cl"].result_list} == {township.pk}


def test_a_second_run_is_refused(generated):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("generate_city", cases=10, verbosity=0)


# (username, pages) of the generated city's role holders (governance.generator.tree).
PEOPLE = {
    "g01t01_clerk": ["/admin/", "/admin/cases/case/", "/admin/cases/caseassignment/", "/admin/cases/servicerequest/"],
    "g01t01_secretary": ["/admin/"],
    "g01t01v01_clerk": ["/admin/", "/admin/cases/case/", "/admin/cases/servicerequest/"],
    "g01_agriculture": ["/admin/", "/admin/cases/case/", "/admin/cases/caseassignment/"],
    "g01_centre": ["/admin/", "/admin/cases/case/", "/admin/cases/caseassignment/", "/admin/cases/servicerequest/"],
    "g01_org": ["/admin/"],
    "g_city": ["/admin/cases/case/", "/admin/cases/caseassignment/", "/admin/cases/servicerequest/"],
}
# Searches finding many rows and none: the page asks the same queries (a search adds one on service
# requests, for the catalogue's matching items).
MANY = {
    "/admin/cases/case/": "?q=2026",
    "/admin/cases/caseassignment/": "?q=2026",
    "/admin/cases/servicerequest/": "?q=王",
}
FEW = {
    "/admin/cases/case/": "?q=2099",
    "/admin/cases/caseassignment/": "?q=2099",
    "/admin/cases/servicerequest/": "?q=无此人",
}
# Text the trigram indexes serve (three characters or more): a title's place, an applicant's name.
TEXT_SEARCH = {
    "/admin/cases/case/": "?q=何庄社",
    "/admin/cases/caseassignment/": "?q=何庄社",
    "/admin/cases/servicerequest/": "?q=王建国",
}
HOME_COUNTED = 18
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT", "SET LOCAL")
BIG_TABLES = ("cases_case", "cases_caseassignment", "cases_servicerequest", "cases_casetransition")


def _signed_in(username):
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    # A searched list's own transaction (BEGIN or a savepoint, SET LOCAL enable_seqscan, its end) reads no rows.
    return [query for query in captured.captured_queries if not query["sql"].startswith(TRANSACTION_CONTROL)]


@pytest.mark.parametrize("username", PEOPLE)
def test_the_main_pages_query_counts_do_not_grow_with_their_rows(generated, username, settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"  # Redis in production (README)
    client = _signed_in(username)
    for url in PEOPLE[username]:
        full = len(_queries(client, url))
        if url == "/admin/":
            # The home page (issue 13): the queue's queries, then one per panel of the area on a
            # first visit; its figures then come from the cache for a few minutes.
            assert full <= HOME_COUNTED, f"{username} {url}: {full} queries, figures counted"
            full = len(_queries(client, url))
        assert full <= 12, f"{username} {url}: {full} queries"
        if url in FEW:
            many, few = (len(_queries(client, url + search[url])) for search in (MANY, FEW))
            assert many == few <= 12, f"{username} {url}: the count follows the rows"


# A record's page: the user, their grants, their permissions, the record with what it points at,
# its assignments (a case), attachments and timeline, one link check for the person who raised it.
RECORD_PAGE_QUERIES = 9


@pytest.mark.parametrize("username", [name for name, pages in PEOPLE.items() if "/admin/cases/case/" in pages])
def test_a_case_and_an_assignment_page_ask_a_handful_of_queries(generated, username, settings):
    from django.contrib.auth import get_user_model

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"  # Redis in production (README)

    user = get_user_model().objects.get(username=username)
    client = _signed_in(username)
    busiest = Case.objects.for_user(user).annotate(steps=Count("assignments")).order_by("-steps", "-raised_at").first()
    assert busiest.steps >= 2
    assert len(_queries(client, f"/admin/cases/case/{busiest.pk}/change/")) <= RECORD_PAGE_QUERIES
    assignment = CaseAssignment.objects.for_user(user).exclude(escalated_to=None).order_by("-created_at").first()
    if assignment is not None:  # a village clerk sees cases, not the departments' steps
        assert len(_queries(client, f"/admin/cases/caseassignment/{assignment.pk}/change/")) <= RECORD_PAGE_QUERIES


def _plan(sql):
    """EXPLAIN with sequential scans off, as a searched list runs (IndexedSearchMixin): whether an index
    can serve the query at all, whatever the size of the test city."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize("username", PEOPLE)
def test_no_main_page_needs_a_sequential_scan_of_a_big_table(generated, username, postgres_only):
    client = _signed_in(username)
    pages = [
        url + suffix
        for url in PEOPLE[username]
        for suffix in ("", FEW.get(url), TEXT_SEARCH.get(url))
        if suffix is not None
    ]
    for url in pages:
        for query in _queries(client, url):
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT") or not any(table in sql for table in BIG_TABLES):
                continue
            plan = _plan(sql)
            for table in BIG_TABLES:
                assert f"Seq Scan on {table}" not in plan, f"{username} {url}:\n{sql}\n{plan}"


# Two characters, most Chinese words and many names: no trigram, so the pair indexes serve them
# (governance.text_search): a word of the generated titles' matters, a common given name.
TWO_CHARACTERS = {
    "/admin/cases/case/": ("噪音", "case_title_bigrams"),
    "/admin/cases/caseassignment/": ("噪音", "case_title_bigrams"),
    "/admin/cases/servicerequest/": ("建国", "service_request_applicant_bigrams"),
}


@pytest.mark.parametrize("url", TWO_CHARACTERS)
def test_a_two_character_search_finds_exactly_the_rows_holding_it(generated, url):
    term, _index = TWO_CHARACTERS[url]
    page = _signed_in("g_city").get(url, {"q": term, "all": ""})
    found = {row.pk for row in page.context["cl"].result_list}
    if url.endswith("/servicerequest/"):
        holding = ServiceRequest.objects.filter(applicant_name__contains=term)
    elif url.endswith("/caseassignment/"):
        holding = CaseAssignment.objects.filter(case__title__contains=term)
    else:
        holding = Case.objects.filter(title__contains=term)
    assert holding.exists(), f"the generated city has no {term}: pick another word"
    assert found == set(holding.values_list("pk", flat=True))


@pytest.mark.parametrize("url", TWO_CHARACTERS)
def test_a_two_character_search_is_served_by_the_pair_index(generated, url, postgres_only):
    term, index = TWO_CHARACTERS[url]
    searches = [q["sql"] for q in _queries(_signed_in("g_city"), f"{url}?q={term}") if "text_bigrams" in q["sql"]]
    assert searches, "the search asks for the pair"
    for sql in searches:
        plan = _plan(sql)
        assert index in plan, f"{url}:\n{sql}\n{plan}"
        # Nor a LIKE on the column, which PostgreSQL may AND with the trigram index: that index has
        # nothing to find for two characters and is read whole (240 ms at a million cases).
        column = "applicant_name" if url.endswith("/servicerequest/") else "title"
        assert f'"{column}")::text) LIKE' not in sql and f'"{column}"::text) LIKE' not in sql, sql
        assert "trgm" not in plan, f"{url}:\n{sql}\n{plan}"


# The county centre's home-page figures that read the county's whole history: cases raised *or
# closed* in the last weeks, escalations by deputy. Each must be index ranges on what it asks for
# (cases migration 0017), not the county's every case rechecked (308 and 425 ms at a million).
HOME_FIGURE_INDEXES = {"cases_case": "case_county_closed", "cases_caseassignment": "assignment_escalated"}


# The city's steps owed by county from one index alone (cases migration 0021): every owed step's row
# was read from the table (169 ms at a million). (The township's weekly trend, from two index ranges
# at a million, is one township's 32 cases here: PostgreSQL rightly reads them by the township.)
def _home_figure_plan(username, marker):
    sqls = [q["sql"] for q in _queries(_signed_in(username), "/admin/") if marker in q["sql"]]
    assert sqls, f"{username}'s home page asks no figure with {marker}"
    return _plan(sqls[0])


def test_owed_steps_and_scorecards_are_read_from_their_indexes(generated, postgres_only, settings):
    settings.DASHBOARD_CACHE_SECONDS = 0
    # And a department's steps by state and overdue (cases migration 0022; 150 ms at a million).
    assert "Index Only Scan using assignment_department_dues" in _home_figure_plan("g01_agriculture", '"overdue"')
    assert "Index Only Scan using assignment_owed_figures" in _home_figure_plan("g_city", '"pending"')
    # And a township's scorecard of the month, from its steps' index (cases migration 0024: each of
    # its cases' steps were probed one case at a time, 33 ms of its cold home page at a million).
    scorecard = _home_figure_plan("g01t01_clerk", '"resolved_on_time"')
    assert "transition_township_scores" in scorecard and "on cases_case " not in scorecard, scorecard
    # And a township's queue and its steps owed by department, on every visit (cases migration 0025:
    # its every step ANDed with the city's awaiting ones, 10-12 ms each at a million).
    for marker in ('"line0"', '"pending"'):
        assert "Index Only Scan using assignment_township_awaiting" in _home_figure_plan("g01t01_clerk", marker)
    # And the county centre's queue, on every visit (cases migration 0026: the county's awaiting
    # steps read from the table, 19 ms at a million).
    assert "Index Only Scan using assignment_county_awaiting" in _home_figure_plan("g01_centre", '"line0"')


def test_the_centres_home_figures_are_served_by_their_indexes(generated, postgres_only, settings):
    settings.DASHBOARD_CACHE_SECONDS = 0
    sqls = [q["sql"] for q in _queries(_signed_in("g01_centre"), "/admin/")]
    figures = {
        "cases_case": [sql for sql in sqls if "closed_at" in sql and "raised_at" in sql and "COUNT" in sql],
        "cases_caseassignment": [sql for sql in sqls if '"escalated_to_id"' in sql and "GROUP BY" in sql],
    }
    for table, index in HOME_FIGURE_INDEXES.items():
        assert figures[table], f"the home page asks no figure of {table}"
        for sql in figures[table]:
            plan = _plan(sql)
            assert index in plan, f"{table}:\n{sql}\n{plan}"


def test_a_departments_searched_case_list_finds_exactly_its_cases_holding_the_word(generated):
    department = Unit.objects.get(parent__code=f"{CITY_CODE[:4]}01000000", sector="agriculture")
    page = _signed_in("g01_agriculture").get("/admin/cases/case/", {"q": "噪音", "all": ""})
    found = {row.pk for row in page.context["cl"].result_list}
    holding = Case.objects.filter(title__contains="噪音", assignments__department=department).distinct()
    assert holding.exists(), "the generated city gives the department no case of the word: pick another"
    assert found == set(holding.values_list("pk", flat=True))


def test_a_departments_searched_case_list_ands_the_word_and_department_indexes(generated, postgres_only):
    """307 ms at a million cases when PostgreSQL read every case of the word city-wide first."""
    sqls = [q["sql"] for q in _queries(_signed_in("g01_agriculture"), "/admin/cases/case/?q=噪音")]
    searches = [sql for sql in sqls if "text_bigrams" in sql]
    assert searches
    for sql in searches:
        plan = _plan(sql)
        assert "case_departments" in plan and "cases_caseassignment" not in plan, f"{sql}\n{plan}"


def test_a_townships_assignments_of_one_department_are_one_index_range(generated, postgres_only):
    """cases migration 0027: the township's steps ANDed with the department's and sorted (21 ms at a
    million cases); from (township, department, newest first) the page and its capped count are ranges."""
    from django.contrib.auth import get_user_model

    from governance.models import Unit
    from governance.scoping import units_for

    township = units_for(get_user_model().objects.get(username="g01t01_clerk")).get(level="township")
    department = Unit.objects.get(parent_id=township.parent_id, sector="agriculture")
    url = f"/admin/cases/caseassignment/?department__id__exact={department.pk}"
    listing = [q["sql"] for q in _queries(_signed_in("g01t01_clerk"), url) if 'FROM "cases_caseassignment"' in q["sql"]]
    assert len(listing) == 2, listing  # the capped count and the page
    for sql in listing:
        plan = _plan(sql)
        assert "assignment_township_department" in plan and "BitmapAnd" not in plan, f"{sql}\n{plan}"
