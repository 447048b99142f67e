"""
A shift as a coordinator plans it (a day, a start and an end on the local clock, how
many people, the skills and languages it needs) and the checks every plan passes, on
the form, in the API and when a day or a week is copied.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _

from fieldapp.errors import DomainError
from fieldapp.languages import Spoken
from services.accounts.models import Skill
from services.scheduling.grid import local_datetime

from ..models import Shift, ShiftNeed

MAX_PEOPLE = 200
NOTES_MAX = 500


@dataclass(frozen=True)
class ShiftPlan:
    task: str
    day: date
    start_time: time
    end_time: time
    people_needed: int
    skills: dict[str, int] = field(default_factory=dict)  # skill -> how many
    languages: dict[str, int] = field(default_factory=dict)  # language -> how many speakers
    notes: str = ""

    @property
    def starts_at(self) -> datetime:
        return local_datetime(self.day, self.start_time.replace(second=0, microsecond=0))

    @property
    def ends_at(self) -> datetime:
        return local_datetime(self.day, self.end_time.replace(second=0, microsecond=0))

    def needs(self) -> list[tuple[str, str, int]]:
        """(kind, code, count) of what it needs; a count of 0 is no need."""
        return [
            *((ShiftNeed.Kind.SKILL, code, n) for code, n in sorted(self.skills.items()) if n),
            *(
                (ShiftNeed.Kind.LANGUAGE, code, n)
                for code, n in sorted(self.languages.items())
                if n
            ),
        ]

    @classmethod
    def of(cls, shift: Shift, needs: list[ShiftNeed], day: date | None = None) -> "ShiftPlan":
        """The plan of an existing shift (on another day, to copy it)."""
        starts, ends = timezone.localtime(shift.starts_at), timezone.localtime(shift.ends_at)
        return cls(
            task=shift.task,
            day=day or starts.date(),
            start_time=starts.time(),
            end_time=ends.time(),
            people_needed=shift.people_needed,
            skills={n.code: n.count for n in needs if n.kind == ShiftNeed.Kind.SKILL},
            languages={n.code: n.count for n in needs if n.kind == ShiftNeed.Kind.LANGUAGE},
            notes=shift.notes,
        )


def _check_people(plan: ShiftPlan) -> None:
    if plan.people_needed < 1:
        raise DomainError(
            _("A shift needs at least one person."), field="people_needed", code="min_people"
        )
    if plan.people_needed > MAX_PEOPLE:
        raise DomainError(
            _("At most %(count)d people on one shift.") % {"count": MAX_PEOPLE},
            field="people_needed",
            code="max_people",
        )


def _check_needs(plan: ShiftPlan) -> None:
    for names, known, prefix in (
        (plan.skills, Skill.Kind.values, "skill_"),
        (plan.languages, Spoken.values, "language_"),
    ):
        for code, count in names.items():
            if code not in known:
                raise DomainError(_("Choose from the list."), field=prefix + code, code="unknown")
            if count < 0:
                raise DomainError(
                    _("Give a number from 0 up."), field=prefix + code, code="negative"
                )
            if count > plan.people_needed:
                raise DomainError(
                    _("More than the people needed: raise the number of people first."),
                    field=prefix + code,
                    code="more_than_people",
                )


def plan_check(plan: ShiftPlan) -> None:
    """Refuse a plan that cannot be a shift, in the words of the field it concerns."""
    if plan.task not in Shift.Task.values:
        raise DomainError(_("Choose a task from the list."), field="task")
    if plan.end_time.replace(second=0, microsecond=0) <= plan.start_time.replace(
        second=0, microsecond=0
    ):
        raise DomainError(_("The end must be after the start."), field="end_time", code="order")
    if plan.starts_at <= timezone.now():
        raise DomainError(
            _("This time has passed: plan shifts from now on."), field="day", code="past"
        )
    _check_people(plan)
    _check_needs(plan)
    if len(plan.notes) > NOTES_MAX:
        raise DomainError(
            _("Keep the notes under %(count)d characters.") % {"count": NOTES_MAX},
            field="notes",
            code="too_long",
        )
