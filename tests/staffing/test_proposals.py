import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from staffing import services
from staffing.models import AppointmentProposal, ProposalAction, ProposalState, Rank

TODAY = datetime.date(2026, 11, 25)


def propose(actor, secondment, action=ProposalAction.RECALL, **fields):
    values = {"effective_date": datetime.date(2026, 11, 1), "reason": "工作需要", **fields}
    return services.proposal_create(
        actor=actor, proposal=AppointmentProposal(secondment=secondment, action=action, **values)
    )


def test_consent_then_carry_out_a_recall_ends_the_secondment(county, organiser, colleague, secondment):
    proposal = propose(organiser, secondment)
    services.proposal_consent(actor=colleague, proposal=proposal)
    services.proposal_carry_out(actor=organiser, proposal=proposal, today=TODAY)
    proposal.refresh_from_db()
    secondment.refresh_from_db()
    assert proposal.state == ProposalState.CARRIED_OUT
    assert (secondment.actual_end, secondment.ended_by) == (datetime.date(2026, 11, 1), organiser)
    assert list(proposal.transitions.values_list("to_state", flat=True)) == ["proposed", "consented", "carried_out"]


def test_the_sending_department_may_propose_a_promotion_which_updates_the_rank(
    county, agri_officer, colleague, secondment
):
    with pytest.raises(ValidationError) as caught:
        propose(agri_officer, secondment, ProposalAction.PROMOTE)
    assert caught.value.message_dict["new_rank"] == [str(services.PROPOSAL_NEEDS_RANK)]
    proposal = propose(agri_officer, secondment, ProposalAction.PROMOTE, new_rank=Rank.PRINCIPAL_4)
    services.proposal_consent(actor=colleague, proposal=proposal)
    services.proposal_carry_out(actor=agri_officer, proposal=proposal, today=TODAY)
    secondment.cadre.refresh_from_db()
    secondment.refresh_from_db()
    assert secondment.cadre.rank == Rank.PRINCIPAL_4
    assert secondment.in_force


@pytest.mark.parametrize("who", ["housing_officer", "colleague", "owner"])
def test_only_the_county_or_the_sending_department_proposes(county, secondment, who, request):
    with pytest.raises(ValidationError) as caught:
        propose(request.getfixturevalue(who), secondment)
    assert caught.value.messages == [str(services.PROPOSAL_NOT_PROPOSER)]
    assert not AppointmentProposal.objects.exists()


def test_a_veto_is_final_and_a_vetoed_proposal_can_never_be_carried_out(county, organiser, colleague, secondment):
    proposal = propose(organiser, secondment)
    with pytest.raises(ValidationError, match=str(services.VETO_REASON_REQUIRED)):
        services.proposal_veto(actor=colleague, proposal=proposal, reason="")
    services.proposal_veto(actor=colleague, proposal=proposal, reason="项目未完成")
    with pytest.raises(ValidationError, match=str(services.PROPOSAL_DECIDED)):
        services.proposal_consent(actor=colleague, proposal=proposal)
    with pytest.raises(ValidationError) as caught:
        services.proposal_carry_out(actor=organiser, proposal=proposal, today=TODAY)
    assert caught.value.messages == [str(services.PROPOSAL_VETOED)]
    proposal.refresh_from_db()
    secondment.refresh_from_db()
    assert (proposal.state, proposal.decision_reason) == (ProposalState.VETOED, "项目未完成")
    assert secondment.in_force


def test_nothing_is_carried_out_before_consent_or_the_effective_date(county, organiser, colleague, secondment):
    proposal = propose(organiser, secondment, effective_date=datetime.date(2027, 1, 1))
    with pytest.raises(ValidationError, match=str(services.PROPOSAL_NOT_CONSENTED)):
        services.proposal_carry_out(actor=organiser, proposal=proposal, today=TODAY)
    services.proposal_consent(actor=colleague, proposal=proposal)
    with pytest.raises(ValidationError) as caught:
        services.proposal_carry_out(actor=organiser, proposal=proposal, today=TODAY)
    assert caught.value.error_list[0].code == "not_yet"
    secondment.refresh_from_db()
    assert secondment.in_force


def test_the_database_refuses_carrying_out_without_consent(county, organiser, secondment):
    proposal = propose(organiser, secondment)
    with pytest.raises(IntegrityError), transaction.atomic():
        AppointmentProposal.objects.filter(pk=proposal.pk).update(
            state=ProposalState.CARRIED_OUT, carried_out_by=organiser, carried_out_at="2026-11-25T00:00Z"
        )


def test_the_database_refuses_a_vetoed_proposal_with_a_consent_time(county, organiser, colleague, secondment):
    proposal = propose(organiser, secondment)
    services.proposal_veto(actor=colleague, proposal=proposal, reason="不同意")
    with pytest.raises(IntegrityError), transaction.atomic():
        AppointmentProposal.objects.filter(pk=proposal.pk).update(consented_at="2026-11-25T00:00Z")


def test_another_townships_supervisor_cannot_decide(county, organiser, supervisor_b, owner, secondment):
    proposal = propose(organiser, secondment)
    for actor in (supervisor_b, owner):
        with pytest.raises(ValidationError, match=str(services.PROPOSAL_NOT_DECIDER)):
            services.proposal_veto(actor=actor, proposal=proposal, reason="x")
        with pytest.raises(ValidationError, match=str(services.PROPOSAL_NOT_DECIDER)):
            services.proposal_consent(actor=actor, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.PROPOSED


def test_another_department_cannot_carry_out(county, organiser, colleague, housing_officer, secondment):
    proposal = propose(organiser, secondment)
    services.proposal_consent(actor=colleague, proposal=proposal)
    with pytest.raises(ValidationError, match=str(services.PROPOSAL_NOT_PROPOSER)):
        services.proposal_carry_out(actor=housing_officer, proposal=proposal, today=TODAY)
