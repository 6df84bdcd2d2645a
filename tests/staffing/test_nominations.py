import pytest
from django.core.exceptions import ValidationError

from staffing import services
from staffing.models import NOMINATION_DUPLICATE, Nomination, NominationKind, NominationState


def nominate(actor, secondment, kind=NominationKind.PROMOTION, reasons="实绩突出"):
    return services.nomination_create(
        actor=actor, nomination=Nomination(secondment=secondment, kind=kind, reasons=reasons, proposed_post="副镇长")
    )


def test_supervisor_nominates_and_the_county_accepts(county, colleague, organiser, secondment):
    nomination = nominate(colleague, secondment)
    assert (nomination.cadre, nomination.host_unit, nomination.nominated_by) == (
        secondment.cadre,
        county.township_a,
        colleague,
    )
    services.nomination_decide(actor=organiser, nomination=nomination, accept=True)
    nomination.refresh_from_db()
    assert (nomination.state, nomination.decided_by) == (NominationState.ACCEPTED, organiser)
    assert list(nomination.transitions.values_list("to_state", flat=True)) == ["submitted", "accepted"]


def test_declining_needs_a_reason_and_a_decision_is_final(county, colleague, organiser, secondment):
    nomination = nominate(colleague, secondment)
    with pytest.raises(ValidationError, match=str(services.DECLINE_REASON_REQUIRED)):
        services.nomination_decide(actor=organiser, nomination=nomination, accept=False, reason="")
    services.nomination_decide(actor=organiser, nomination=nomination, accept=False, reason="年限不够")
    with pytest.raises(ValidationError, match=str(services.NOMINATION_DECIDED)):
        services.nomination_decide(actor=organiser, nomination=nomination, accept=True)
    nomination.refresh_from_db()
    assert (nomination.state, nomination.decision_reason) == (NominationState.DECLINED, "年限不够")


@pytest.mark.parametrize("who", ["owner", "supervisor_b", "agri_officer"])
def test_only_the_host_supervisor_nominates(county, secondment, who, request):
    with pytest.raises(ValidationError) as caught:
        nominate(request.getfixturevalue(who), secondment)
    assert caught.value.messages == [str(services.NOMINATION_NOT_PERMITTED)]
    assert not Nomination.objects.exists()


def test_only_the_county_organisation_decides(county, colleague, supervisor_b, agri_officer, secondment):
    nomination = nominate(colleague, secondment)
    for actor in (colleague, supervisor_b, agri_officer):
        with pytest.raises(ValidationError, match=str(services.NOMINATION_NOT_DECIDER)):
            services.nomination_decide(actor=actor, nomination=nomination, accept=True)
    nomination.refresh_from_db()
    assert nomination.state == NominationState.SUBMITTED


def test_one_pending_nomination_per_kind_and_reasons_required(county, colleague, secondment):
    nominate(colleague, secondment)
    with pytest.raises(ValidationError) as caught:
        nominate(colleague, secondment)
    assert str(NOMINATION_DUPLICATE) in caught.value.messages
    nominate(colleague, secondment, kind=NominationKind.COMMENDATION)
    with pytest.raises(ValidationError) as caught:
        nominate(colleague, secondment, kind=NominationKind.APPOINTMENT, reasons="")
    assert "reasons" in caught.value.message_dict


def test_an_ended_secondment_cannot_be_nominated(county, colleague, organiser, secondment):
    services.secondment_end(actor=organiser, secondment=secondment, end_date=secondment.start_date, reason="期满")
    secondment.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        nominate(colleague, secondment)
    assert caught.value.message_dict["secondment"] == [str(services.SECONDMENT_NOT_IN_FORCE)]
