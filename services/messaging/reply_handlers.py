"""
Replies that answer a message (e.g. "1 to confirm, 2 to cancel"), handled by the app
that sent it.

An app registers one handler per message kind (in its AppConfig.ready). When a reply
that is not STOP or START reads as an answer (keywords.answer_of), inbound_receive finds
the person's most recent sent message of a kind with a handler, within REPLY_WINDOW,
and calls the handler with that message and the answer. The handler returns the
InboundMessage action it took, or "" when there was nothing to do.
"""

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Message

ReplyHandler = Callable[["Message", str], str]

REPLY_WINDOW = timedelta(days=3)

_HANDLERS: dict[str, ReplyHandler] = {}


def reply_handler_register(kind: str, handler: ReplyHandler) -> None:
    _HANDLERS[kind] = handler


def reply_handler_for(kind: str) -> ReplyHandler | None:
    return _HANDLERS.get(kind)


def reply_kinds() -> list[str]:
    return list(_HANDLERS)
