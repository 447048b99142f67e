"""
Inviting a volunteer: a one-time link by SMS or e-mail, stored hashed, used once, dead
after it expires or is withdrawn; accepting it opens the account with its profile, all
or nothing.
"""

import hashlib
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from fieldapp.errors import DomainError
from services.accounts.actions.invitations import (
    invitation_create,
    invitation_resend,
    invitation_revoke,
)
from services.accounts.models import Channel, Invitation, Skill, SpokenLanguage, User
from services.accounts.roles import Role
from services.audit.models import AuditEntry
from services.messaging.models import Message
from services.people.phones import phone_parse
from tests.factories import SiteFactory

BASE = "http://testserver/"
PASSWORD = "a-long-volunteer-pass-7"


def invite(coordinator, site, **kwargs):
    kwargs.setdefault("email", "amina@example.org")
    return invitation_create(
        actor=coordinator, role=Role.VOLUNTEER, sites=[site], base_url=BASE, **kwargs
    )


def path_of(invited) -> str:
    return invited.link.removeprefix(BASE.rstrip("/"))


def accept_form(**overrides):
    today = timezone.localdate()
    data = {
        "username": "amina",
        "password": PASSWORD,
        "password2": PASSWORD,
        "phone": "+44 7911 123456",
        "email": "amina@example.org",
        "notify_by": "sms",
        "language": "fr",
        "arrives_on": today.isoformat(),
        "leaves_on": (today + timedelta(days=10)).isoformat(),
        "spoken_ti": "native",
        "spoken_om": "working",
        "spoken_en": "fluent",
        "skills": ["driver", "first_aid"],
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def test_the_link_token_is_stored_only_as_a_hash(coordinator, site):
    invited = invite(coordinator, site)
    token = invited.link.rstrip("/").rsplit("/", 1)[1]
    invitation = Invitation.objects.get()
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(Invitation.objects.values().get())
    assert invitation.expires_at - invitation.sent_at == timedelta(days=7)


def test_an_invitation_opens_an_account_no_one_can_sign_in_to_yet(client, coordinator, site):
    invited = invite(coordinator, site)
    user = invited.invitation.user
    assert not user.is_active and not user.has_usable_password()
    assert set(user.sites.all()) == {site} and user.role_label == "Volunteer"
    assert user.notify_by == Channel.EMAIL and user.email == "amina@example.org"
    entry = AuditEntry.objects.get(action="invitation.create")
    assert entry.actor == coordinator and "amina" not in str(entry.details)
    message = Message.objects.get(kind="invitation")
    assert (message.user, message.cause_type, message.cause_id) == (
        user,
        "invitation",
        invited.invitation.pk,
    )


def test_by_phone_the_link_goes_by_sms(coordinator, site):
    invited = invite(coordinator, site, email="", phone=phone_parse("+44 7911 123456"))
    assert invited.invitation.channel == Channel.SMS
    assert Message.objects.get(kind="invitation").channel == Channel.SMS


def test_only_a_coordinator_invites(client, volunteer, site):
    with pytest.raises(PermissionDenied):
        invite(volunteer, site)
    client.force_login(volunteer)
    assert client.get(reverse("accounts:invitation_create")).status_code == 403


def test_accepting_opens_the_account_with_its_profile_and_signs_in(client, coordinator, site):
    invited = invite(coordinator, site)
    page = client.get(path_of(invited))
    assert page.status_code == 200 and "Afaan Oromoo" in page.content.decode()
    response = client.post(path_of(invited), accept_form())
    assert response.status_code == 302 and response["Location"] == reverse("home")
    user = User.objects.get(username="amina")
    assert user.is_active and user.check_password(PASSWORD)
    assert str(user.phone) == "+447911123456" and user.notify_by == Channel.SMS
    assert user.language == "fr" and user.leaves_on == timezone.localdate() + timedelta(days=10)
    assert dict(user.spoken_languages.values_list("language", "level")) == {
        "ti": "native",
        "om": "working",
        "en": "fluent",
    }
    assert set(user.skills.values_list("kind", flat=True)) == {"driver", "first_aid"}
    assert user.site == site
    assert client.get(reverse("home")).status_code == 200  # signed in
    assert AuditEntry.objects.filter(action="invitation.accept", actor=user).exists()


def test_a_link_used_once_gets_a_clear_page_the_second_time(client, coordinator, site):
    invited = invite(coordinator, site)
    client.post(path_of(invited), accept_form())
    client.post(reverse("logout"))
    # The volunteer chose French on the form: the page answers in it.
    again = client.get(path_of(invited))
    assert again.status_code == 410
    assert again["Content-Language"] == "fr"
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME)
    again = client.get(path_of(invited))
    assert again.status_code == 410
    assert "This invitation link has been used already." in again.content.decode()
    post = client.post(path_of(invited), accept_form(username="someone-else"))
    assert post.status_code == 410 and not User.objects.filter(username="someone-else").exists()


def test_an_expired_link_gets_a_clear_page(client, coordinator, site):
    invited = invite(coordinator, site)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(path_of(invited))
    assert response.status_code == 410
    assert "This invitation link has expired." in response.content.decode()
    assert client.post(path_of(invited), accept_form()).status_code == 410
    assert not User.objects.get(pk=invited.invitation.user_id).is_active


def test_a_withdrawn_link_or_an_unknown_one_gets_a_clear_page(client, coordinator, site):
    invited = invite(coordinator, site)
    invitation_revoke(actor=coordinator, invitation=invited.invitation)
    assert Message.objects.get(kind="invitation").status == Message.Status.CANCELLED
    withdrawn = client.get(path_of(invited))
    assert withdrawn.status_code == 410 and "withdrawn" in withdrawn.content.decode()
    unknown = client.get(reverse("accounts:invitation_accept", args=["not-a-token"]))
    assert unknown.status_code == 404 and "not valid" in unknown.content.decode()
    assert AuditEntry.objects.filter(action="invitation.revoke", actor=coordinator).exists()


def test_sending_again_makes_a_new_link_and_kills_the_old_one(client, coordinator, site):
    first = invite(coordinator, site)
    second = invitation_resend(actor=coordinator, invitation=first.invitation, base_url=BASE)
    assert first.link != second.link
    assert client.get(path_of(first)).status_code == 404
    assert client.get(path_of(second)).status_code == 200
    old, new = Message.objects.filter(kind="invitation").order_by("id")
    assert (old.status, new.status) == (Message.Status.CANCELLED, Message.Status.PENDING)
    assert first.link not in str(old.context)  # the dead link is cut from the outbox too
    assert AuditEntry.objects.filter(action="invitation.resend").exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"password2": "something-else-9"}, "password2", "The two passwords are not the same."),
        ({"password": "1234", "password2": "1234"}, "password", "too short"),
        ({"username": "bad name!"}, "username", "letters, digits"),
        ({"notify_by": "sms", "phone": ""}, "phone", "Give a phone number to get SMS."),
        ({"phone": "12"}, "phone", "This is not a phone number we can send to."),
        ({"leaves_on": "2020-01-01"}, "leaves_on", "The departure date is in the past."),
        (
            {"arrives_on": "2099-02-10", "leaves_on": "2099-02-01"},
            "leaves_on",
            "The departure date comes before the arrival date.",
        ),
        ({"leaves_on": "31/02/2099"}, "leaves_on", "Type a date as day-month-year"),
        ({"spoken_ar": "perfect"}, "spoken_ar", "Choose a level from the list."),
        ({"skills": ["juggling"]}, "skills", "Choose skills from the list."),
    ],
)
def test_bad_input_gets_a_clear_error_and_nothing_is_saved(
    client, coordinator, site, overrides, field, message
):
    invited = invite(coordinator, site)
    response = client.post(path_of(invited), accept_form(**overrides))
    assert response.status_code == 400
    errors = " ".join(str(e) for e in response.context["form"].errors.get(field, []))
    assert message in errors, response.context["form"].errors
    user = User.objects.get(pk=invited.invitation.user_id)
    assert not user.is_active and not user.has_usable_password()
    assert not SpokenLanguage.objects.exists() and not Skill.objects.exists()
    assert Invitation.objects.get().accepted_at is None


def test_a_taken_user_name_is_refused(client, coordinator, site, volunteer):
    invited = invite(coordinator, site)
    response = client.post(path_of(invited), accept_form(username="Volunteer"))
    assert "This user name is taken" in str(response.context["form"].errors["username"])


def test_an_address_in_use_or_invited_already_is_refused_with_what_to_do(
    coordinator, site, volunteer
):
    volunteer.email = "volunteer@example.org"
    volunteer.save()
    with pytest.raises(DomainError, match="extend their stay"):
        invite(coordinator, site, email="Volunteer@example.org")
    invite(coordinator, site)
    with pytest.raises(DomainError, match="send it again"):
        invite(coordinator, site)


def test_a_withdrawn_invitation_can_be_made_again_without_a_second_account(coordinator, site):
    first = invite(coordinator, site)
    invitation_revoke(actor=coordinator, invitation=first.invitation)
    second = invite(coordinator, site)
    assert second.invitation.pk == first.invitation.pk and second.invitation.revoked_at is None
    assert User.objects.filter(email="amina@example.org").count() == 1


def test_an_invitation_needs_a_site_of_the_coordinators_and_a_known_role(coordinator, site):
    with pytest.raises(DomainError, match="at least one site"):
        invitation_create(
            actor=coordinator, role=Role.VOLUNTEER, sites=[], base_url=BASE, email="a@b.org"
        )
    with pytest.raises(DomainError, match="role"):
        invitation_create(
            actor=coordinator, role="boss", sites=[site], base_url=BASE, email="a@b.org"
        )


def test_the_coordinators_pages_list_send_again_and_withdraw(client, coordinator, site):
    client.force_login(coordinator)
    other = SiteFactory(name="Grande-Synthe")
    response = client.post(
        reverse("accounts:invitation_create"),
        {"address": "+44 7911 123457", "role": "volunteer", "sites": [other.pk], "language": "ar"},
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.channel == Channel.SMS and invitation.user.language == "ar"
    listing = client.get(reverse("accounts:invitations")).content.decode()
    assert "+44 7911 123457" in listing
    client.post(reverse("accounts:invitation_resend", args=[invitation.pk]))
    assert Invitation.objects.get().sends == 2
    client.post(reverse("accounts:invitation_revoke", args=[invitation.pk]))
    assert Invitation.objects.get().revoked_at is not None
    assert "+44 7911 123457" not in client.get(reverse("accounts:invitations")).content.decode()


def test_the_invitation_form_says_what_is_wrong(client, coordinator, site):
    client.force_login(coordinator)
    response = client.post(
        reverse("accounts:invitation_create"), {"address": "nobody", "role": "volunteer"}
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "not a phone number" in str(errors["address"])
    assert "Choose at least one site." in str(errors["sites"])
    assert not Invitation.objects.exists()
