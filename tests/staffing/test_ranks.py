"""The staff categories and rank lists of staffing.ranks, as the model, its constraint and the
services hold them (issue 10)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from staffing import services
from staffing.models import LEADERSHIP_NOT_OF_CATEGORY, RANK_NOT_OF_CATEGORY, Cadre
from staffing.ranks import (
    CATEGORY_WORDS,
    LEADERSHIP_WORDS,
    RANK_GROUPS,
    RANK_WORDS,
    LeadershipLevel,
    Rank,
    StaffCategory,
    rank_before_2019,
    rank_fits,
    ranks_of,
)
from tests.factories.staffing import CadreFactory

TODAYS_CIVIL_SERVICE_RANKS = [
    "一级巡视员",
    "二级巡视员",
    "一级调研员",
    "二级调研员",
    "三级调研员",
    "四级调研员",
    "一级主任科员",
    "二级主任科员",
    "三级主任科员",
    "四级主任科员",
    "一级科员",
    "二级科员",
]


def test_every_rank_is_in_exactly_one_list_and_every_category_has_ranks():
    listed = [rank for group in RANK_GROUPS for rank in group.ranks]
    assert sorted(listed) == sorted(Rank.values)
    for category in StaffCategory:
        assert ranks_of(category)


def test_the_2019_civil_service_ranks_are_the_laws_twelve_in_order():
    words = [RANK_WORDS[rank][0] for rank in RANK_GROUPS[0].ranks]
    assert words == TODAYS_CIVIL_SERVICE_RANKS
    assert set(RANK_GROUPS[0].categories) == {StaffCategory.CIVIL_SERVANT, StaffCategory.REFERENCED}


def test_no_word_means_two_things():
    for vocabulary in (CATEGORY_WORDS, RANK_WORDS, LEADERSHIP_WORDS):
        words = [word for value_words in vocabulary.values() for word in value_words]
        assert len(words) == len(set(words))
    assert set(RANK_WORDS) == set(Rank.values) and set(LEADERSHIP_WORDS) == set(LeadershipLevel.values)


@pytest.mark.parametrize(
    ("rank", "category", "fits"),
    [
        (Rank.CLERK_1, StaffCategory.CIVIL_SERVANT, True),
        (Rank.CLERK_1, StaffCategory.REFERENCED, True),
        (Rank.CLERK_1, StaffCategory.INSTITUTION, False),
        (Rank.SECTION_MEMBER, StaffCategory.CIVIL_SERVANT, True),  # the pre-2019 name stays valid
        (Rank.MANAGER_7, StaffCategory.INSTITUTION, True),
        (Rank.MANAGER_7, StaffCategory.CIVIL_SERVANT, False),
        (Rank.PRO_INTERMEDIATE, StaffCategory.INSTITUTION, True),
        (Rank.WORKER_3, StaffCategory.OTHER, True),
        (Rank.NONE, StaffCategory.CIVIL_SERVANT, False),
    ],
)
def test_a_rank_fits_the_categories_of_its_list(rank, category, fits):
    assert rank_fits(rank, category) is fits


def test_old_names_are_marked_and_never_the_same_as_new_ones():
    assert rank_before_2019(Rank.SECTION_MEMBER) and not rank_before_2019(Rank.CLERK_1)
    assert RANK_WORDS[Rank.SECTION_MEMBER] == ("科员",)  # not 一级科员 nor 二级科员


def test_the_model_names_the_rule_and_the_ranks_of_the_category(county):
    cadre = CadreFactory.build(home_unit=county.township_a, staff_category=StaffCategory.INSTITUTION, rank=Rank.CLERK_1)
    with pytest.raises(ValidationError) as caught:
        cadre.full_clean()
    message = caught.value.message_dict["rank"][0]
    assert message.startswith(str(RANK_NOT_OF_CATEGORY).split("“")[0])
    assert str(Rank.MANAGER_7.label) in message and str(Rank.CLERK_2.label) not in message


def test_a_leadership_level_belongs_to_civil_servants_and_their_like(county):
    CadreFactory.build(
        home_unit=county.township_a, leadership_level=LeadershipLevel.TOWNSHIP_HEAD, rank=Rank.PRINCIPAL_2
    ).full_clean()
    institution = CadreFactory.build(
        home_unit=county.township_a,
        staff_category=StaffCategory.INSTITUTION,
        rank=Rank.MANAGER_7,
        leadership_level=LeadershipLevel.TOWNSHIP_HEAD,
    )
    with pytest.raises(ValidationError) as caught:
        institution.full_clean()
    expected = LEADERSHIP_NOT_OF_CATEGORY % {"category": StaffCategory.INSTITUTION.label}
    assert caught.value.message_dict == {"leadership_level": [str(expected)]}


@pytest.mark.parametrize(
    "changes",
    [
        {"staff_category": StaffCategory.INSTITUTION},  # keeps 一级科员
        {"rank": Rank.MANAGER_8},  # a civil servant with an institution's grade
        {"staff_category": StaffCategory.OTHER, "rank": Rank.NONE, "leadership_level": LeadershipLevel.COUNTY_HEAD},
    ],
)
def test_the_database_refuses_a_rank_or_level_outside_the_category(county, changes):
    cadre = CadreFactory(home_unit=county.township_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Cadre.objects.filter(pk=cadre.pk).update(**changes)


def test_a_promotion_names_a_rank_of_the_cadres_category_in_todays_words(county, agri_officer, secondment):
    import datetime

    from staffing.models import AppointmentProposal, ProposalAction

    def propose(rank):
        proposal = AppointmentProposal(
            secondment=secondment,
            action=ProposalAction.PROMOTE,
            new_rank=rank,
            effective_date=datetime.date(2027, 1, 1),
            reason="工作需要",
        )
        return services.proposal_create(actor=agri_officer, proposal=proposal)

    with pytest.raises(ValidationError) as caught:
        propose(Rank.DEPUTY_SECTION)
    assert caught.value.message_dict["new_rank"] == [
        str(services.PROPOSAL_RANK_BEFORE_2019 % {"rank": Rank.DEPUTY_SECTION.label})
    ]
    with pytest.raises(ValidationError) as caught:
        propose(Rank.MANAGER_7)
    assert "new_rank" in caught.value.message_dict
    assert propose(Rank.PRINCIPAL_4).new_rank == Rank.PRINCIPAL_4


def test_the_chinese_labels_are_the_words_a_sheet_holds():
    """The form's choices and the spreadsheet's words are the same Chinese, so a clerk meets one name."""
    from django.utils import translation

    with translation.override("zh-hans"):
        for choices, words in (
            (Rank, RANK_WORDS),
            (StaffCategory, CATEGORY_WORDS),
            (LeadershipLevel, LEADERSHIP_WORDS),
        ):
            for value in choices:
                assert str(value.label) == words[value][0], value
