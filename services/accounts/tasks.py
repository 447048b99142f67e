"""Celery tasks: thin, idempotent callers of the account actions."""

from celery import shared_task

from fieldapp.phones import phone_parse

from .actions.passwords import password_reset_send
from .actions.stays import users_deactivate_departed


@shared_task(ignore_result=True)
def accounts_deactivate_departed() -> int:
    """Beat runs this hourly: switch off the accounts whose stay has ended."""
    return users_deactivate_departed()


@shared_task(ignore_result=True)
def password_reset(address: str, base_url: str) -> int:
    """The look-up and the message of a reset request, after the page has answered."""
    if "@" in address:
        return password_reset_send(email=address, base_url=base_url)
    return password_reset_send(phone=phone_parse(address), base_url=base_url)
