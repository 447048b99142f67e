"""
What each shift lacks: people, skills (one driver), spoken languages (a Tigrinya
speaker, at working level or better), and who withdrew late.

coverage_load() reads everything for any number of shifts in a fixed number of queries
(the shifts' needs, the sign-ups that stand, their volunteers' skills and languages,
the late withdrawals), so the coverage board, the API and the candidate list cost the
same whether a week has 5 shifts or 500. A volunteer with two skills counts for both:
a driver who is also a first-aider covers both needs on the day.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from services.accounts.models import Skill, SpokenLanguage, User

from .models import Shift, ShiftNeed, SignUp
from .words import (
    language_lacking,
    language_name,
    people_lacking,
    skill_lacking,
    skill_name,
    when_words,
)

# Enough to serve a queue in the language: basic is not.
GOOD_LEVELS = (
    SpokenLanguage.Level.WORKING,
    SpokenLanguage.Level.FLUENT,
    SpokenLanguage.Level.NATIVE,
)


@dataclass(frozen=True)
class Brings:
    """A volunteer's skills, and the languages they speak at working level or better."""

    skills: frozenset[str] = frozenset()
    languages: dict[str, str] = field(default_factory=dict)  # code -> level


@dataclass(frozen=True)
class OnShift:
    """One volunteer on a shift, and what they bring."""

    signup: SignUp
    brings: Brings

    def skill_names(self) -> list[str]:
        return [skill_name(code) for code in sorted(self.brings.skills)]

    def language_names(self) -> list[str]:
        return [language_name(code) for code in sorted(self.brings.languages)]


@dataclass
class Coverage:
    shift: Shift
    needs: list[ShiftNeed]
    on: list[OnShift]
    people: int = 0
    skills: dict[str, int] = field(default_factory=dict)  # lacking, by skill
    languages: dict[str, tuple[int, int]] = field(default_factory=dict)  # (lacking, have)
    late: list[str] = field(default_factory=list)  # who withdrew within 24 hours

    @property
    def covered(self) -> bool:
        return not (self.people or self.skills or self.languages)

    @property
    def short(self) -> bool:
        """Someone withdrew late and their place is still empty."""
        return bool(self.late) and self.people > 0

    def parts(self) -> list[str]:
        words = [people_lacking(self.people)] if self.people else []
        words += [skill_lacking(code, count) for code, count in sorted(self.skills.items())]
        words += [
            language_lacking(code, lacking, have)
            for code, (lacking, have) in sorted(self.languages.items())
        ]
        return words

    def words(self) -> str:
        """'Tue 14:15: 1 driver, no Tigrinya speaker'; empty when nothing is lacking."""
        if self.covered:
            return ""
        return f"{when_words(self.shift.starts_at)}: {', '.join(self.parts())}"


def brings_of(users: Iterable[int]) -> dict[int, Brings]:
    """What each of these volunteers brings: two queries, whatever their number."""
    ids = list(users)
    skills: dict[int, set[str]] = defaultdict(set)
    for user_id, kind in Skill.objects.filter(user_id__in=ids).values_list("user_id", "kind"):
        skills[user_id].add(kind)
    languages: dict[int, dict[str, str]] = defaultdict(dict)
    spoken = SpokenLanguage.objects.filter(user_id__in=ids, level__in=GOOD_LEVELS)
    for user_id, code, level in spoken.values_list("user_id", "language", "level"):
        languages[user_id][code] = level
    return {pk: Brings(frozenset(skills[pk]), languages[pk]) for pk in ids}


def coverage_of(
    shift: Shift, needs: list[ShiftNeed], signups: list[SignUp], brings: dict[int, Brings]
) -> Coverage:
    """What this shift lacks, given its needs and the sign-ups that stand."""
    on = [OnShift(signup, brings.get(signup.user_id, Brings())) for signup in signups]
    coverage = Coverage(shift, needs, on, people=max(0, shift.people_needed - len(signups)))
    for need in needs:
        if need.kind == ShiftNeed.Kind.SKILL:
            have = sum(need.code in person.brings.skills for person in on)
            if have < need.count:
                coverage.skills[need.code] = need.count - have
        else:
            have = sum(need.code in person.brings.languages for person in on)
            if have < need.count:
                coverage.languages[need.code] = (need.count - have, have)
    return coverage


def coverage_load(shifts: list[Shift]) -> dict[int, Coverage]:
    """The coverage of each shift (by id), in five queries for any number of shifts."""
    ids = [shift.pk for shift in shifts]
    needs: dict[int, list[ShiftNeed]] = defaultdict(list)
    for need in ShiftNeed.objects.filter(shift_id__in=ids):
        needs[need.shift_id].append(need)
    standing: dict[int, list[SignUp]] = defaultdict(list)
    signups = (
        SignUp.objects.filter(shift_id__in=ids, withdrawn_at__isnull=True)
        .select_related("user")
        .order_by("created_at", "id")
    )
    for signup in signups:
        standing[signup.shift_id].append(signup)
    brings = brings_of({s.user_id for rows in standing.values() for s in rows})
    out = {
        shift.pk: coverage_of(shift, needs[shift.pk], standing[shift.pk], brings)
        for shift in shifts
    }
    late = SignUp.objects.filter(shift_id__in=ids, withdrawn_late=True).values_list(
        "shift_id", "user__username"
    )
    for shift_id, username in late:
        out[shift_id].late.append(username)
    return out


def user_brings(user: User) -> Brings:
    return brings_of([user.pk])[user.pk]
