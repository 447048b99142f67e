"""
The shapes of the shifts API (api.py): what a shift, a sign-up, the board and a candidate
look like, and what planning, copying, cancelling and signing up take. Input is only
read here; every rule is the actions'.
"""

from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from fieldapp.languages import Spoken
from services.accounts.models import Skill
from services.sites.models import Site

from . import selectors
from .actions.plan import ShiftPlan
from .coverage import Coverage, coverage_load
from .models import REASON_MAX, Shift, SignUp


class GapsSerializer(serializers.Serializer):
    people = serializers.IntegerField(help_text="How many more people it needs.")
    skills = serializers.DictField(child=serializers.IntegerField(), help_text="Lacking, by skill.")
    languages = serializers.DictField(
        child=serializers.IntegerField(), help_text="Speakers lacking, by language."
    )
    late_withdrawals = serializers.ListField(child=serializers.CharField())
    words = serializers.CharField(help_text="'Tue 14:15: 1 driver, no Tigrinya speaker'.")


def _gaps(coverage: Coverage) -> dict[str, Any]:
    return {
        "people": coverage.people,
        "skills": coverage.skills,
        "languages": {code: lacking for code, (lacking, _have) in coverage.languages.items()},
        "late_withdrawals": coverage.late,
        "words": coverage.words(),
    }


class ShiftSerializer(serializers.ModelSerializer):
    place = serializers.CharField(source="site.name", read_only=True)
    skills = serializers.SerializerMethodField()
    languages = serializers.SerializerMethodField()
    gaps = serializers.SerializerMethodField()

    class Meta:
        model = Shift
        fields = [
            "id",
            "site",
            "place",
            "task",
            "starts_at",
            "ends_at",
            "people_needed",
            "signed_up",
            "skills",
            "languages",
            "notes",
            "cancelled_at",
            "cancel_reason",
            "gaps",
        ]
        read_only_fields = fields

    _single: Coverage | None = None

    def _coverage(self, shift: Shift) -> Coverage:
        """From the list's coverages (read at once), or read for this one shift."""
        given: dict[int, Coverage] = self.context.get("coverages", {})
        if shift.pk in given:
            return given[shift.pk]
        if self._single is None or self._single.shift.pk != shift.pk:
            self._single = coverage_load([shift])[shift.pk]
        return self._single

    def get_skills(self, shift: Shift) -> dict[str, int]:
        return {n.code: n.count for n in self._coverage(shift).needs if n.kind == "skill"}

    def get_languages(self, shift: Shift) -> dict[str, int]:
        return {n.code: n.count for n in self._coverage(shift).needs if n.kind == "language"}

    @extend_schema_field(GapsSerializer)
    def get_gaps(self, shift: Shift) -> dict[str, Any]:
        return _gaps(self._coverage(shift))


class PlanSerializer(serializers.Serializer):
    """A shift as planned: the day and hours on the local clock (Europe/Paris)."""

    task = serializers.ChoiceField(choices=Shift.Task.choices)
    day = serializers.DateField()
    start_time = serializers.TimeField(help_text="Local, e.g. 14:15.")
    end_time = serializers.TimeField(help_text="Local, after the start, the same day.")
    people_needed = serializers.IntegerField(min_value=-1000, max_value=1000)
    skills = serializers.DictField(
        child=serializers.IntegerField(min_value=-1000, max_value=1000),
        required=False,
        default=dict,
        help_text=f"How many of each: {', '.join(Skill.Kind.values)}.",
    )
    languages = serializers.DictField(
        child=serializers.IntegerField(min_value=-1000, max_value=1000),
        required=False,
        default=dict,
        help_text=f"How many speakers of each: {', '.join(Spoken.values)}.",
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)

    def plan(self) -> ShiftPlan:
        return ShiftPlan(**self.validated_data)


class CreateSerializer(PlanSerializer):
    site = serializers.PrimaryKeyRelatedField(queryset=Site.objects.filter(is_active=True))


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX * 4, allow_blank=True)


class CopySerializer(serializers.Serializer):
    site = serializers.PrimaryKeyRelatedField(queryset=Site.objects.filter(is_active=True))
    from_day = serializers.DateField(help_text="The first day copied.")
    to_day = serializers.DateField(help_text="The first day filled.")
    days = serializers.ChoiceField(choices=[1, 7], help_text="1: a day; 7: a week.")


class CopiedSerializer(serializers.Serializer):
    created = serializers.ListField(child=serializers.IntegerField(), help_text="New shift ids.")
    skipped = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField()),
        help_text="Days left alone: {day, why} with why has_shifts or passed.",
    )


class BoardQuerySerializer(serializers.Serializer):
    site = serializers.IntegerField(min_value=1, max_value=2**62)
    week = serializers.DateField(required=False, help_text="Any day of the week; default today.")

    def validate_week(self, value: date) -> date:
        if not selectors.day_in_reach(value):
            raise serializers.ValidationError(_("Choose a week within ten years of today."))
        return value


class BoardDaySerializer(serializers.Serializer):
    day = serializers.DateField()
    shifts = ShiftSerializer(many=True)


class BoardSerializer(serializers.Serializer):
    site = serializers.IntegerField()
    first = serializers.DateField()
    gaps = serializers.ListField(child=serializers.CharField())
    days = BoardDaySerializer(many=True)


class CandidateSerializer(serializers.Serializer):
    user = serializers.IntegerField(source="user.pk")
    username = serializers.CharField(source="user.username")
    brings = serializers.SerializerMethodField()
    score = serializers.IntegerField()
    shifts_that_week = serializers.IntegerField()

    def get_brings(self, candidate: Any) -> list[str]:
        return [mark.label for mark in candidate.marks]


class SignUpSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    phone = serializers.SerializerMethodField(
        help_text="Only for whoever runs the site's day (team lead, coordinator)."
    )

    class Meta:
        model = SignUp
        fields = [
            "id",
            "shift",
            "user",
            "username",
            "phone",
            "created_at",
            "withdrawn_at",
            "withdrawn_late",
            "arrived_at",
        ]
        read_only_fields = fields

    def get_phone(self, signup: SignUp) -> str | None:
        runs: set[int] | None = self.context.get("runs_sites")
        if runs is None or signup.shift.site_id not in runs or not signup.user.phone:
            return None
        return str(signup.user.phone)


class SignUpInputSerializer(serializers.Serializer):
    shift = serializers.IntegerField(min_value=1, max_value=2**62)
    user = serializers.IntegerField(
        min_value=1, max_value=2**62, required=False, help_text="Coordinators: who to put on it."
    )


class ArrivedSerializer(serializers.Serializer):
    arrived = serializers.BooleanField(default=True)
