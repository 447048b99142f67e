"""
Forms of the coordinators' distribution screens. They only parse what was typed (a
whole number, a real date, one of the listed choices); the rules (limits, sizes,
stock) are the actions', whose refusals the views put back on these forms.

Every message is fieldapp's own, so it exists in all nine languages.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from fieldapp.forms import sheet_format_field
from fieldapp.languages import Language
from fieldapp.text import clean_display_text
from services.sites.models import Site
from services.sites.selectors import site_list

from .actions.catalogue import NAME_LANGUAGES, NAME_MAX_LENGTH, SIZE_MAX_LENGTH
from .labels import MAX_LABELS, PER_PAGE
from .models import Donor, ItemType
from .sizes import sorted_sizes

DONOR_MAX_LENGTH = Donor._meta.get_field("name").max_length or 80

CLOTHES_SIZES = ["XS", "S", "M", "L", "XL", "XXL"]
SHOE_SIZES = [str(n) for n in range(36, 48)]
SIZE_PRESETS = {"clothes": CLOTHES_SIZES, "shoes": SHOE_SIZES}
REASON_MAX_LENGTH = 200

REQUIRED = _("This field is required.")
WHOLE = _("Give a whole number.")
CHOOSE = _("Choose one of the listed options.")


def _choose_from(field: forms.Field, queryset: QuerySet[Any]) -> None:
    """The choices of a model choice field, known only when its form is made."""
    cast(forms.ModelChoiceField, field).queryset = queryset


def whole_number(label: Any, *, required: bool = True, **kwargs: Any) -> forms.IntegerField:
    """A number typed on a phone: the numeric keypad, but a text box (styled like the others)."""
    messages = {
        "required": REQUIRED,
        "invalid": WHOLE,
        "min_value": _("Give a number of at least %(limit_value)s."),
        "max_value": _("Give a number of at most %(limit_value)s."),
    }
    return forms.IntegerField(
        label=label,
        required=required,
        error_messages=messages,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        **kwargs,
    )


def text(label: Any, *, max_length: int, required: bool = False, **kwargs: Any) -> forms.CharField:
    attrs = {"maxlength": max_length, **kwargs.pop("attrs", {})}
    return forms.CharField(
        label=label,
        required=required,
        error_messages={"required": REQUIRED},
        widget=forms.TextInput(attrs=attrs),
        **kwargs,
    )


def sites_field(label: Any, **kwargs: Any) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label,
        queryset=Site.objects.none(),
        empty_label=None,
        error_messages={
            "required": REQUIRED,
            "invalid_choice": _("Choose one of the listed sites."),
        },
        **kwargs,
    )


class LengthCheckedForm(forms.Form):
    """Text boxes carry maxlength, but what is posted is checked too (and cleaned)."""

    lengths: dict[str, int] = {}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for field, limit in self.lengths.items():
            value = cleaned.get(field)
            if isinstance(value, str):
                value = clean_display_text(value)
                cleaned[field] = value
                if len(value) > limit:
                    self.add_error(field, _("Use at most %(max)d characters.") % {"max": limit})
        return cleaned


# The catalogue


class ItemTypeForm(LengthCheckedForm):
    name = text(_("Name (English)"), max_length=NAME_MAX_LENGTH, required=True)
    category = forms.ChoiceField(
        label=_("Category"),
        choices=ItemType.Category.choices,
        error_messages={"required": REQUIRED, "invalid_choice": CHOOSE},
    )
    sizes = text(
        _("Sizes"),
        max_length=400,
        help_text=_("Separated by commas, e.g. S, M, L. Empty: the item has no sizes."),
    )
    size_preset = forms.ChoiceField(
        label=_("Or add a ready-made list"),
        required=False,
        choices=[
            ("", "—"),
            ("clothes", _("Clothes XS–XXL")),
            ("shoes", _("Shoes EU 36–47")),
        ],
        error_messages={"invalid_choice": CHOOSE},
    )
    audience = forms.ChoiceField(
        label=_("For"),
        required=False,
        choices=ItemType.Audience.choices,
        error_messages={"invalid_choice": CHOOSE},
    )
    min_interval_days = whole_number(
        _("Days between two for one person"),
        required=False,
        help_text=_("e.g. 30: one sleeping bag per person per 30 days. Empty: no limit."),
    )
    per_session_limit = whole_number(
        _("Most per person at one distribution"), initial=1, help_text=_("From 1 to 50.")
    )
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    lengths = {"name": NAME_MAX_LENGTH, "sizes": 400}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = _("An item needs a name.")
        for code in NAME_LANGUAGES:
            self.fields[f"name_{code}"] = text(
                Language(code).label,
                max_length=NAME_MAX_LENGTH,
                attrs={"lang": code, "dir": "auto"},
            )
            self.lengths = {**self.lengths, f"name_{code}": NAME_MAX_LENGTH}

    @classmethod
    def initial_for(cls, item: ItemType) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "name": item.name,
            "category": item.category,
            "sizes": ", ".join(item.sizes),
            "audience": item.audience,
            "min_interval_days": item.min_interval_days,
            "per_session_limit": item.per_session_limit,
            "is_active": item.is_active,
        }
        for code in NAME_LANGUAGES:
            initial[f"name_{code}"] = item.names.get(code, "")
        return initial

    def translated_names(self) -> Iterator[forms.BoundField]:
        for code in NAME_LANGUAGES:
            yield self[f"name_{code}"]

    def action_fields(self) -> dict[str, Any]:
        """What item_type_save() takes: the preset joins the typed sizes."""
        data = self.cleaned_data
        sizes = [data["sizes"]] + SIZE_PRESETS.get(data.get("size_preset") or "", [])
        return {
            "name": data["name"],
            "names": {code: data[f"name_{code}"] for code in NAME_LANGUAGES},
            "category": data["category"],
            "sizes": ",".join(sizes),
            "audience": data.get("audience") or "",
            "min_interval_days": data.get("min_interval_days"),
            "per_session_limit": data["per_session_limit"],
            "is_active": data["is_active"],
        }


# Stock


class ItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        item: ItemType = obj
        if item.sizes:
            return f"{item.display_name()} ({', '.join(item.sizes)})"
        return item.display_name()


def item_field(queryset: QuerySet[ItemType] | None = None) -> ItemChoiceField:
    return ItemChoiceField(
        label=_("Item"),
        queryset=queryset if queryset is not None else ItemType.objects.none(),
        empty_label="—",
        error_messages={"required": _("Choose the item."), "invalid_choice": CHOOSE},
    )


class StockForm(LengthCheckedForm):
    """Item, size and how many: the common part of every stock form."""

    only_active_items = False
    item = item_field()
    size = text(
        _("Size"), max_length=SIZE_MAX_LENGTH, help_text=_("Empty for items without sizes.")
    )
    # At least 1 here, so that a minus sign can never turn "in" into "out"; the upper
    # bound is the ledger's (checks.check_quantity).
    quantity = whole_number(_("How many"), min_value=1)

    lengths = {"size": SIZE_MAX_LENGTH}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        items = ItemType.objects.all()
        if self.only_active_items:
            items = items.filter(is_active=True)
        _choose_from(self.fields["item"], items)


class ReceiveForm(StockForm):
    only_active_items = True
    donor = text(_("Donor"), max_length=DONOR_MAX_LENGTH, help_text=_("Optional."))
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Food, hygiene, medicine: it is handed out before what expires later."),
    )
    reason = text(_("Note"), max_length=REASON_MAX_LENGTH, help_text=_("Optional."))
    lengths = {"size": SIZE_MAX_LENGTH, "reason": REASON_MAX_LENGTH, "donor": DONOR_MAX_LENGTH}


class LowStockLevelForm(forms.Form):
    item = item_field()
    level = whole_number(
        _("Warn at"),
        required=False,
        min_value=0,
        help_text=_("At or below this many (all sizes), coordinators are told. Empty: no warning."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choose_from(self.fields["item"], ItemType.objects.filter(is_active=True))


class TransferForm(StockForm):
    target = sites_field(_("To"))

    def __init__(self, *args: Any, source: Site, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choose_from(self.fields["target"], site_list().exclude(pk=source.pk))


class AdjustForm(StockForm):
    direction = forms.ChoiceField(
        label=_("The count shows"),
        choices=[("in", _("More than the list")), ("out", _("Less than the list"))],
        widget=forms.RadioSelect,
        initial="out",
        error_messages={"required": REQUIRED, "invalid_choice": CHOOSE},
    )
    quantity = whole_number(_("By how many"), min_value=1)
    field_order = ["item", "size", "direction", "quantity", "reason"]
    reason = text(_("Why"), max_length=REASON_MAX_LENGTH, help_text=_("Required."))
    lengths = {"size": SIZE_MAX_LENGTH, "reason": REASON_MAX_LENGTH}

    def change(self) -> int:
        quantity: int = self.cleaned_data["quantity"]
        return quantity if self.cleaned_data["direction"] == "in" else -quantity


class WriteOffForm(StockForm):
    reason = text(
        _("Why"),
        max_length=REASON_MAX_LENGTH,
        help_text=_("Required, e.g. wet and mouldy, torn."),
    )
    lengths = {"size": SIZE_MAX_LENGTH, "reason": REASON_MAX_LENGTH}


# Sessions


@dataclass
class OfferRow:
    item: ItemType
    offer: forms.BoundField
    sizes: forms.BoundField | None
    limit: forms.BoundField


class SessionPlanForm(forms.Form):
    """When and where, and one row per item in use: offered or not, which sizes, how many."""

    site = sites_field(_("Site"))
    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Give the date."), "invalid": _("Give a real date.")},
    )
    starts_at = forms.TimeField(
        label=_("From"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": _("Give the time."), "invalid": _("Give a time like 15:00.")},
    )
    ends_at = forms.TimeField(
        label=_("Until"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": _("Give the time."), "invalid": _("Give a time like 15:00.")},
    )
    choose_limit = whole_number(
        _("Items each person may choose"),
        required=False,
        min_value=1,
        max_value=50,
        help_text=_("e.g. 2 for 'choose 2 items'. Empty: no overall limit."),
    )

    def __init__(self, *args: Any, items: list[ItemType], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choose_from(self.fields["site"], site_list())
        self.items = items
        for item in items:
            self.fields[f"offer_{item.pk}"] = forms.BooleanField(label=_("Offer"), required=False)
            if item.sizes:
                self.fields[f"sizes_{item.pk}"] = forms.MultipleChoiceField(
                    label=_("Sizes"),
                    required=False,
                    choices=[(size, size) for size in sorted_sizes(item.sizes)],
                    widget=forms.CheckboxSelectMultiple,
                    help_text=_("None ticked: every size."),
                    error_messages={
                        # Django fills in %(value)s; a % in the item's name must stay a %.
                        "invalid_choice": _("%(item)s does not come in size %(size)s.")
                        % {"item": item.display_name().replace("%", "%%"), "size": "%(value)s"},
                        "invalid_list": CHOOSE,
                    },
                )
            self.fields[f"limit_{item.pk}"] = whole_number(
                _("Per person"), min_value=1, max_value=50, initial=item.per_session_limit
            )

    def rows(self) -> list[OfferRow]:
        return [
            OfferRow(
                item=item,
                offer=self[f"offer_{item.pk}"],
                sizes=self[f"sizes_{item.pk}"] if item.sizes else None,
                limit=self[f"limit_{item.pk}"],
            )
            for item in self.items
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for item in self.items:
            # A row not offered needs no limit: its errors do not count.
            if not cleaned.get(f"offer_{item.pk}"):
                for name in (f"limit_{item.pk}", f"sizes_{item.pk}"):
                    self.errors.pop(name, None)
                    cleaned.pop(name, None)
        return cleaned

    def offers(self) -> list[tuple[ItemType, list[str], int]]:
        data = self.cleaned_data
        return [
            (item, list(data.get(f"sizes_{item.pk}") or []), data[f"limit_{item.pk}"])
            for item in self.items
            if data.get(f"offer_{item.pk}")
        ]


# Conflicts


class ResolveForm(LengthCheckedForm):
    reason = text(
        _("Why"),
        max_length=REASON_MAX_LENGTH,
        required=True,
        help_text=_("Required, e.g. the volunteer checked the card."),
    )
    lengths = {"reason": REASON_MAX_LENGTH}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = _("Say why.")


# Box labels


class LabelForm(LengthCheckedForm):
    """Which labels to print; the renderer (labels.py) checks the size and the number."""

    item = item_field()
    size = text(
        _("Size"), max_length=SIZE_MAX_LENGTH, help_text=_("Empty for items without sizes.")
    )
    count = whole_number(_("Number of labels"), initial=PER_PAGE)
    site = forms.ModelChoiceField(
        label=_("Site"),
        queryset=Site.objects.none(),
        required=False,
        empty_label="—",
        help_text=_("Optional: printed on the labels."),
        error_messages={"invalid_choice": _("Choose one of the listed sites.")},
    )
    fmt = sheet_format_field()

    lengths = {"size": SIZE_MAX_LENGTH}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choose_from(self.fields["item"], ItemType.objects.filter(is_active=True))
        _choose_from(self.fields["site"], site_list())
        self.fields["count"].help_text = _("From 1 to %(max)d, %(per_page)d on each A4 page.") % {
            "max": MAX_LABELS,
            "per_page": PER_PAGE,
        }
