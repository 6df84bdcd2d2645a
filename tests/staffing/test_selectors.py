from staffing import selectors, services
from tests.factories.staffing import CadreFactory, SecondmentFactory


def test_headcount_is_own_staff_plus_secondments_in_force(county, organiser, secondment):
    CadreFactory.create_batch(3, home_unit=county.township_a)
    ended = SecondmentFactory(sending_unit=county.housing, host_unit=county.township_a)
    services.secondment_end(actor=organiser, secondment=ended, end_date=ended.start_date, reason="期满")
    SecondmentFactory(sending_unit=county.housing, host_unit=county.township_b)
    rows = {unit.name: unit for unit in selectors.township_staffing_list(user=organiser)}
    assert set(rows) == {"城关镇", "柳林镇"}
    a = rows["城关镇"]
    assert (a.staff_quota, a.own_staff, a.seconded_in, a.headcount, a.gap) == (100, 3, 1, 4, 96)
    assert (rows["柳林镇"].seconded_in, rows["柳林镇"].headcount) == (1, 1)


def test_over_quota_shows_a_negative_gap(county, organiser):
    county.township_b.staff_quota = 2
    county.township_b.save()
    CadreFactory.create_batch(3, home_unit=county.township_b)
    row = selectors.township_staffing_list(user=organiser).get(pk=county.township_b.pk)
    assert row.gap == -1


def test_a_township_sees_only_its_own_row(county, owner):
    assert [unit.name for unit in selectors.township_staffing_list(user=owner)] == ["城关镇"]


def test_personal_info_only_for_the_county_organisation(county, owner, colleague, organiser, secondment):
    assert list(selectors.cadres_with_personal_info(user=organiser)) == [secondment.cadre]
    assert not selectors.cadres_with_personal_info(user=owner).exists()
    assert not selectors.cadres_with_personal_info(user=colleague).exists()
