"""
The catalogue: what there is to give. Coordinators add and change item types here,
and every change is audited. Sizes are part of the stock's key, so a size that still
has stock somewhere cannot disappear from an item (its stock would become unreachable).
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeGuard

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fieldapp.errors import DomainError
from fieldapp.languages import Language
from fieldapp.text import clean_display_text
from services.accounts.models import User
from services.audit.actions import audit_record, model_update

from ..models import MAX_INTERVAL_DAYS, ItemType, StockBalance

ITEM_FIELDS = (
    "name",
    "names",
    "category",
    "sizes",
    "audience",
    "min_interval_days",
    "per_session_limit",
    "is_active",
)
NAME_MAX_LENGTH = 60
SIZE_MAX_LENGTH = 12
MAX_SIZES = 40
MAX_PER_SESSION = 50
# The languages an item's name is translated into (English is the name itself).
NAME_LANGUAGES = tuple(code for code in Language.values if code != Language.EN)


def _is_whole(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def clean_sizes(sizes: Iterable[str] | str | None) -> list[str]:
    """'xs, S ,m,,M' -> ['XS', 'S', 'M']: trimmed, upper-case, each once, in the given order."""
    if sizes is None:
        return []
    parts = sizes.split(",") if isinstance(sizes, str) else list(sizes)
    cleaned: list[str] = []
    for part in parts:
        size = clean_display_text(str(part)).upper()
        if not size:
            continue
        if len(size) > SIZE_MAX_LENGTH:
            raise DomainError(
                _("A size has at most %(max)d characters: %(size)s")
                % {"max": SIZE_MAX_LENGTH, "size": size[:20]},
                field="sizes",
                code="size_too_long",
            )
        if size not in cleaned:
            cleaned.append(size)
    if len(cleaned) > MAX_SIZES:
        raise DomainError(
            _("%(max)d sizes at most.") % {"max": MAX_SIZES}, field="sizes", code="too_many_sizes"
        )
    return cleaned


def _clean_name(name: object, *, exclude_pk: int | None) -> str:
    name = clean_display_text(str(name or ""))
    if not name:
        raise DomainError(_("An item needs a name."), field="name", code="required")
    if len(name) > NAME_MAX_LENGTH:
        raise DomainError(
            _("Use at most %(max)d characters.") % {"max": NAME_MAX_LENGTH},
            field="name",
            code="too_long",
        )
    clash = ItemType.objects.filter(name__iexact=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise DomainError(
            _("An item called %(name)s already exists.") % {"name": name},
            field="name",
            code="duplicate",
        )
    return name


def _clean_names(names: object) -> dict[str, str]:
    if names is None:
        return {}
    if not isinstance(names, dict):
        raise TypeError("names must be a dict of language code to name")
    cleaned = {}
    for language in NAME_LANGUAGES:
        value = clean_display_text(str(names.get(language) or ""))
        if len(value) > NAME_MAX_LENGTH:
            raise DomainError(
                _("Use at most %(max)d characters.") % {"max": NAME_MAX_LENGTH},
                field=f"name_{language}",
                code="too_long",
            )
        if value:
            cleaned[language] = value
    return cleaned


def _clean_choice(value: object, choices: list[str], field: str) -> str:
    value = "" if value is None else str(value)
    if value not in choices:
        raise DomainError(_("Choose one of the listed options."), field=field, code="bad_choice")
    return value


def _clean_interval(value: object) -> int | None:
    if value is None or value == "":
        return None
    if not _is_whole(value) or not 0 <= value <= MAX_INTERVAL_DAYS:
        raise DomainError(
            _("Give a whole number of days from 0 to %(max)d, or leave it empty.")
            % {"max": MAX_INTERVAL_DAYS},
            field="min_interval_days",
            code="bad_interval",
        )
    return value


def _clean_limit(value: object) -> int:
    if not _is_whole(value) or not 1 <= value <= MAX_PER_SESSION:
        raise DomainError(
            _("Give a limit between 1 and 50."), field="per_session_limit", code="bad_limit"
        )
    return value


def _check_sizes_keep_stock(item: ItemType, sizes: list[str]) -> None:
    """Refuse to drop a size (or the 'no size') that still has stock at some site."""
    stranded = (
        StockBalance.objects.filter(item=item, quantity__gt=0)
        .exclude(size__in=sizes if sizes else [""])
        .values_list("size", flat=True)
        .distinct()
    )
    lost = sorted(set(stranded))
    if lost:
        raise DomainError(
            _(
                "There is still stock of %(item)s in %(sizes)s. Move it or write it off "
                "before changing the sizes."
            )
            % {"item": item.name, "sizes": ", ".join(size or _("no size") for size in lost)},
            field="sizes",
            code="sizes_in_stock",
        )


@transaction.atomic
def item_type_save(*, actor: User | None, item: ItemType | None = None, **fields: Any) -> ItemType:
    """
    Add an item type (item=None) or change one. Fields: name, names ({language: name}),
    category, sizes (list or comma-separated), audience, min_interval_days,
    per_session_limit, is_active. On a change, fields not given stay as they are.
    """
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"item_type_save() got unknown fields {sorted(unknown)}")
    current: dict[str, Any] = (
        {field: getattr(item, field) for field in ITEM_FIELDS}
        if item is not None
        else {
            "name": "",
            "names": {},
            "category": "",
            "sizes": [],
            "audience": ItemType.Audience.ANYONE,
            "min_interval_days": None,
            "per_session_limit": 1,
            "is_active": True,
        }
    )
    values = {**current, **fields}
    cleaned: dict[str, Any] = {
        "name": _clean_name(values["name"], exclude_pk=item.pk if item else None),
        "names": _clean_names(values["names"]),
        "category": _clean_choice(values["category"], ItemType.Category.values, "category"),
        "sizes": clean_sizes(values["sizes"]),
        "audience": _clean_choice(values["audience"] or "", ItemType.Audience.values, "audience"),
        "min_interval_days": _clean_interval(values["min_interval_days"]),
        "per_session_limit": _clean_limit(values["per_session_limit"]),
        "is_active": bool(values["is_active"]),
    }
    if item is None:
        return _item_create(actor, cleaned)
    if item.sizes != cleaned["sizes"]:
        _check_sizes_keep_stock(item, cleaned["sizes"])
    with _unique_name(cleaned["name"]):
        model_update(item, cleaned, actor=actor, action="itemtype.update")
    return item


def _item_create(actor: User | None, cleaned: dict[str, Any]) -> ItemType:
    item = ItemType(**cleaned)
    with _unique_name(cleaned["name"]):
        item.save()
    audit_record(
        actor=actor, action="itemtype.create", target=item, details={"fields": list(ITEM_FIELDS)}
    )
    return item


@contextmanager
def _unique_name(name: str) -> Iterator[None]:
    """The same name, saved by someone else at the same moment: refused like any duplicate."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as error:
        raise DomainError(
            _("An item called %(name)s already exists.") % {"name": name},
            field="name",
            code="duplicate",
        ) from error
