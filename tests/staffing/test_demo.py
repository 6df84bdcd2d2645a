"""The demo's cadres read as real ones (issue 9/10): a 秀英 is a woman and her number says so,
birth years 1965–1998, some under codes that started after the holder's birth, today's ranks."""

from stdnum import numdb

from governance import demo as governance_demo
from staffing import demo
from staffing.idnumbers import Gender, id_number_parse
from staffing.models import AppointmentProposal, Cadre
from staffing.ranks import rank_before_2019, rank_fits

GENDER_OF_GIVEN = dict(demo.GIVEN)


def _code_starts_after(code: str, year: int) -> bool:
    county = numdb.get("cn/loc").info(code)[1][1]["county"]
    return county.startswith("[") and county[1:5].isdigit() and int(county[1:5]) > year


def test_demo_people_have_numbers_that_agree_with_their_names_and_are_unique():
    people = [demo._person(number) for number in range(1, 400)]
    assert len({number for _name, _birth, number in people}) == len(people)
    for name, birth, number in people:
        parsed = id_number_parse(number)
        assert parsed.gender == GENDER_OF_GIVEN[name[1:]], name
        assert parsed.birth_date == birth and 1965 <= birth.year <= 1998


def test_the_loaded_demo_cadres_are_realistic(db):
    city = governance_demo.load()
    demo.load(city)
    cadres = list(Cadre.objects.all())
    assert len(cadres) == len(demo.SECONDED) + sum(demo.OWN_STAFF.values()) + len(demo.THREE_HANDS)
    assert {GENDER_OF_GIVEN[cadre.name[1:]] for cadre in cadres} == {Gender.MALE, Gender.FEMALE}
    for cadre in cadres:
        assert cadre.gender == GENDER_OF_GIVEN[cadre.name[1:]] == id_number_parse(cadre.id_number).gender
        assert rank_fits(cadre.rank, cadre.staff_category) and not rank_before_2019(cadre.rank)
    years = {cadre.birth_date.year for cadre in cadres}
    assert min(years) <= 1967 and max(years) >= 1996
    assert any(_code_starts_after(cadre.id_number[:6], cadre.birth_date.year) for cadre in cadres)
    assert {cadre.staff_category for cadre in cadres} >= {"civil_servant", "referenced", "institution"}
    assert Cadre.objects.exclude(leadership_level="").exists()
    assert not rank_before_2019(AppointmentProposal.objects.exclude(new_rank="").get().new_rank)

    demo.load(city)  # idempotent
    assert Cadre.objects.count() == len(cadres)


def test_the_demo_shows_issue_14(db):
    """A county-wide cycle with a pooled quota, a settled one with one 不定等次 and a review, a
    secondment confirmed on arrival, and the three hands' other stages."""
    from staffing.models import AssessmentState, CycleScope, CycleState, QuotaPool, ReviewState, SecondmentState
    from staffing.quota import cycle_pools

    city = governance_demo.load()
    demo.load(city)
    county_cycles = {c.name: c for c in demo.AssessmentCycle.objects.filter(scope=CycleScope.COUNTY)}
    past, current = county_cycles["2025年第四季度清河县派驻干部考核"], county_cycles["2026年第四季度清河县派驻干部考核"]
    assert past.state == CycleState.CLOSED and current.state == CycleState.OPEN
    assert past.assessments.filter(state=AssessmentState.UNGRADED).count() == 1
    assert past.assessments.filter(review_state=ReviewState.UPHELD).count() == 1
    assert current.quota_pool == QuotaPool.COUNTY
    (pool,) = cycle_pools(cycle=current)
    assert pool.approved == 1 and pool.remaining >= 1
    states = set(demo.Secondment.objects.values_list("state", flat=True))
    assert states >= {SecondmentState.DRAFTED, SecondmentState.APPROVED, SecondmentState.IN_FORCE}
    arrived = demo.Secondment.objects.exclude(arrival_confirmed_by=None).exclude(approved_by=None)
    assert arrived.filter(transitions__to_state=SecondmentState.DRAFTED).exists()


def test_the_demo_shows_monthly_records(db):
    """城关镇's seconded cadres have January to March 2026 records; March awaits approval."""
    from staffing.models import PeriodicRecord, PeriodicState

    city = governance_demo.load()
    demo.load(city)
    records = PeriodicRecord.objects.filter(host_unit__name="城关镇", year=2026)
    assert set(records.values_list("period", flat=True)) == {1, 2, 3}
    assert set(records.filter(period=3).values_list("state", flat=True)) == {PeriodicState.SUBMITTED}
    assert set(records.filter(period__lt=3).values_list("state", flat=True)) == {PeriodicState.APPROVED}
    count = records.count()
    demo.load(city)  # idempotent
    assert PeriodicRecord.objects.filter(host_unit__name="城关镇", year=2026).count() == count
