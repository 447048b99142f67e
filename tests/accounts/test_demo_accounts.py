"""`make demo`: the accounts that need a second factor come with one, printed once."""

from io import StringIO

from django.core.checks import Tags, run_checks
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from fieldapp.demo import demo_load, demo_second_factors
from services.accounts.actions.passwords import user_password_reset
from services.accounts.models import Invitation, User
from services.accounts.rules import needs_second_factor


def test_the_demos_second_factors_are_printed_once_and_let_someone_in(db):
    out = StringIO()
    call_command("demo_load", "--people", "5", stdout=out)
    printed = out.getvalue()
    assert "recovery codes:" in printed and "key:" in printed
    needing = [u.username for u in User.objects.filter(is_active=True) if needs_second_factor(u)]
    assert {"coordinator", "medical", "legal"} <= set(needing)
    for username in needing:
        assert f"  {username:<12} key: " in printed
    lines = printed.splitlines()
    password = next(line.split()[1] for line in lines if line.startswith("  coordinator "))
    key_line = lines.index(next(line for line in lines if line.startswith("  coordinator  key:")))
    code = lines[key_line + 1].split("recovery codes:")[1].split()[0]
    client = Client()
    client.post(reverse("login"), {"username": "coordinator", "password": password})
    client.post(reverse("accounts:second_factor_verify"), {"token": code})
    assert client.get(reverse("accounts:team")).status_code == 200

    again = StringIO()
    call_command("demo_load", "--people", "5", stdout=again)
    assert "key:" not in again.getvalue() and "were printed when they were made" in again.getvalue()


def test_the_demo_volunteer_has_a_profile_and_an_invitation_waits(db):
    demo_load(people=5)
    demo_second_factors()
    volunteer = User.objects.get(username="volunteer")
    assert volunteer.leaves_on and volunteer.spoken_languages.count() == 3
    assert Invitation.objects.filter(accepted_at__isnull=True).count() == 1


def demo_password_warnings(*, deploy: bool = True) -> list[str]:
    messages = run_checks(include_deployment_checks=deploy, tags=[Tags.security])
    return [message.msg for message in messages if message.id == "accounts.W001"]


def test_check_deploy_warns_while_the_demos_accounts_keep_the_demos_passwords(db):
    demo_load(people=5)
    [warning] = demo_password_warnings()
    assert "coordinator" in warning and "volunteer" in warning
    assert demo_password_warnings(deploy=False) == []

    for user in User.objects.all():
        user_password_reset(user=user, password="a-new-long-password-7")
    assert demo_password_warnings() == []


def test_an_account_named_like_a_role_with_its_own_password_raises_no_warning(coordinator):
    assert demo_password_warnings() == []


def test_signing_in_with_the_demos_password_keeps_the_warning(db, client):
    password = demo_load(people=5)["volunteer"]
    client.post(reverse("login"), {"username": "volunteer", "password": password})
    assert client.get(reverse("home")).status_code == 200
    assert "volunteer" in demo_password_warnings()[0]
