"""The referral workflow: which steps are allowed, consent, reasons and follow-ups."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from fieldapp.errors import Conflict, DomainError
from services.referrals.actions import workflow
from services.referrals.actions.workflow import TRANSITIONS
from services.referrals.models import FollowUpTask, Referral, ReferralEvent, Status

from .conftest import in_days

S = Status


def _move(referral, to, actor):
    """Take the referral to `to` through the real actions."""
    if to == S.REFERRED:
        return workflow.referral_refer(actor=actor, referral=referral, consent=True)
    if to == S.BOOKED:
        return workflow.referral_book(actor=actor, referral=referral, starts_at=in_days(2))
    if to == S.ATTENDED:
        return workflow.referral_attended(actor=actor, referral=referral)
    if to == S.MISSED:
        if referral.appointment_at:
            Referral.objects.filter(pk=referral.pk).update(
                appointment_at=timezone.now() - timedelta(hours=1)
            )
            referral.refresh_from_db()
        return workflow.referral_missed(actor=actor, referral=referral, reason="not seen")
    if to == S.DECLINED:
        return workflow.referral_decline(actor=actor, referral=referral, reason="full")
    return workflow.referral_close(actor=actor, referral=referral)


# A path from draft to every status, through allowed steps only.
PATHS = {
    S.DRAFT: [],
    S.REFERRED: [S.REFERRED],
    S.BOOKED: [S.REFERRED, S.BOOKED],
    S.ATTENDED: [S.REFERRED, S.BOOKED, S.ATTENDED],
    S.MISSED: [S.REFERRED, S.BOOKED, S.MISSED],
    S.DECLINED: [S.REFERRED, S.DECLINED],
    S.CLOSED: [S.REFERRED, S.CLOSED],
}


def _at(status, make_referral, medical):
    referral = make_referral(refer=False)
    for to in PATHS[status]:
        referral = _move(referral, to, medical)
    return referral


ALL_STEPS = [(start, to) for start in S for to in S if to != S.DRAFT]


@pytest.mark.parametrize(("start", "to"), ALL_STEPS)
def test_every_step_is_allowed_exactly_when_the_table_says(start, to, make_referral, medical):
    referral = _at(start, make_referral, medical)
    events = referral.events.count()
    if to in TRANSITIONS[start]:
        moved = _move(referral, to, medical)
        assert moved.status == to
        assert referral.events.count() == events + 1
        last = referral.events.last()
        assert (last.status, last.by) == (to, medical)
    else:
        with pytest.raises(DomainError) as refused:
            _move(referral, to, medical)
        assert refused.value.code in {"not_allowed", "no_consent"}
        referral.refresh_from_db()
        assert referral.status == start
        assert referral.events.count() == events


def test_a_referral_without_consent_is_refused_and_nothing_is_written(make_referral):
    with pytest.raises(DomainError) as refused:
        make_referral(consent=False)
    assert refused.value.field == "consent"
    assert "No consent, no referral" in refused.value.message
    assert not Referral.objects.exists()


def test_a_draft_without_consent_cannot_be_sent_until_consent_is_given(make_referral, medical):
    draft = make_referral(refer=False, consent=False)
    with pytest.raises(DomainError, match="No consent, no referral"):
        workflow.referral_refer(actor=medical, referral=draft, consent=False)
    draft.refresh_from_db()
    assert draft.status == S.DRAFT
    sent = workflow.referral_refer(actor=medical, referral=draft, consent=True)
    assert (sent.status, sent.consent_to_share, sent.consent_by) == (S.REFERRED, True, medical)
    assert sent.consent_at is not None


def test_the_database_refuses_a_referral_beyond_draft_without_consent(make_referral):
    draft = make_referral(refer=False, consent=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=draft.pk).update(status=S.REFERRED)


@pytest.mark.parametrize("step", ["missed", "declined"])
def test_missed_and_declined_need_a_reason(step, booked, medical):
    Referral.objects.filter(pk=booked.pk).update(appointment_at=timezone.now() - timedelta(hours=1))
    booked.refresh_from_db()
    action = workflow.referral_missed if step == "missed" else workflow.referral_decline
    with pytest.raises(DomainError) as refused:
        action(actor=medical, referral=booked, reason="   ")
    assert (refused.value.field, refused.value.message) == ("reason", "Give a reason.")
    booked.refresh_from_db()
    assert booked.status == S.BOOKED
    assert not FollowUpTask.objects.exists()


def test_a_missed_appointment_opens_a_follow_up_with_the_reason_kept(booked, medical):
    Referral.objects.filter(pk=booked.pk).update(appointment_at=timezone.now() - timedelta(hours=1))
    booked.refresh_from_db()
    workflow.referral_missed(actor=medical, referral=booked, reason="moved to Dunkirk")
    task = FollowUpTask.objects.get()
    assert (task.referral, task.done_at) == (booked, None)
    event = ReferralEvent.objects.filter(referral=booked).last()
    assert (event.status, event.reason) == (S.MISSED, "moved to Dunkirk")


def test_an_appointment_still_to_come_cannot_be_missed(booked, medical):
    with pytest.raises(DomainError, match="has not happened yet"):
        workflow.referral_missed(actor=medical, referral=booked, reason="no show")


def test_booking_in_the_past_is_refused(referral, medical):
    with pytest.raises(DomainError) as refused:
        workflow.referral_book(
            actor=medical, referral=referral, starts_at=timezone.now() - timedelta(minutes=5)
        )
    assert refused.value.field == "starts_at"
    referral.refresh_from_db()
    assert (referral.status, referral.appointment_at) == (S.REFERRED, None)


def test_booking_defaults_the_place_to_the_partners_sms_place_and_rescheduling_keeps_history(
    referral, medical
):
    first = workflow.referral_book(actor=medical, referral=referral, starts_at=in_days(2))
    assert first.appointment_place == "Rue Leveux 11"
    second = workflow.referral_book(
        actor=medical, referral=first, starts_at=in_days(4), place="Hall B"
    )
    assert (second.status, second.appointment_place) == (S.BOOKED, "Hall B")
    booked_events = list(referral.events.filter(status=S.BOOKED))
    assert [e.appointment_at for e in booked_events] == [in_days(2), in_days(4)]


def test_a_stale_screen_gets_a_conflict_not_a_silent_overwrite(referral, medical):
    stale = Referral.objects.get(pk=referral.pk)
    workflow.referral_close(actor=medical, referral=referral)
    with pytest.raises(Conflict):
        workflow.referral_book(actor=medical, referral=stale, starts_at=in_days(2))


def test_a_non_medical_service_is_refused(make_referral, legal_service):
    with pytest.raises(DomainError) as refused:
        make_referral(service=legal_service)
    assert (refused.value.field, refused.value.code) == ("service", "not_medical")
    assert not Referral.objects.exists()


def test_a_service_of_a_deactivated_partner_is_refused(make_referral, medical_service):
    medical_service.partner.is_active = False
    medical_service.partner.save()
    with pytest.raises(DomainError, match="no longer offered"):
        make_referral()
