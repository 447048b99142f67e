"""
Keeping one record per person: a new card for a lost, taken or worn-out one, and the
merge of two records found to be the same person.

A new card keeps the record and its history: only the code changes, and the old code
is kept in ReplacedCode so that the old card is refused as "replaced" wherever it is
shown (selectors.person_code_refusal). A merge moves everything that points to the
merged record to the kept one (the ledgers, referrals, appointments, messages: every
foreign key to Person, whichever app holds it, so a table added later moves too), takes
the more recent consent, and retires the merged record's code the same way. Both codes
are in the audit log. Coordinators only (people/rules.py).
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from fieldapp.errors import DomainError
from services.accounts.models import User
from services.audit.actions import audit_record

from .codes import code_generate
from .models import Person, ReplacedCode
from .signals import sms_consent_withdrawn


def code_fresh() -> str:
    """A code never given before: not on a record, not on a replaced card."""
    for _attempt in range(5):
        code = code_generate()
        if not (
            Person.objects.filter(code=code).exists()
            or ReplacedCode.objects.filter(code=code).exists()
        ):
            return code
    raise DomainError(_("Could not make a new card code. Try again."), code="code_exhausted")


@transaction.atomic
def person_card_reissue(*, actor: User, person: Person, reason: str) -> Person:
    """A new card code for the person; the old one is refused from now on as "replaced"."""
    if not actor.has_perm("people.reissue_card", person):
        raise PermissionDenied
    if reason not in ReplacedCode.Reason.values or reason == ReplacedCode.Reason.MERGED:
        raise DomainError(_("Choose why the card is replaced."), field="reason", code="invalid")
    person = Person.objects.select_for_update().get(pk=person.pk)
    old = person.code
    ReplacedCode.objects.create(code=old, person=person, reason=reason, replaced_by=actor)
    for _attempt in range(5):
        person.code = code_fresh()
        try:
            with transaction.atomic():
                person.save(update_fields=["code", "updated_at"])
            break
        except IntegrityError:
            continue
    audit_record(
        actor=actor,
        action="person.card_reissue",
        target=person,
        details={"old": old, "new": person.code, "reason": reason},
    )
    return person


def _references() -> list[models.ForeignKey[Any, Any]]:
    """Every foreign key to Person, in any app, but the replaced codes' (moved as codes)."""
    return [
        relation.field
        for relation in Person._meta.related_objects
        if isinstance(relation.field, models.ForeignKey)
        and relation.one_to_many
        and relation.related_model is not ReplacedCode
    ]


def _many_to_many() -> list[Any]:
    """Every many-to-many field to Person (the people an inbound SMS came from)."""
    return [
        relation.field
        for relation in Person._meta.related_objects
        if isinstance(relation.field, models.ManyToManyField)
    ]


def person_merge_counts(*, kept: Person, merged: Person) -> list[tuple[str, int]]:
    """What would move from `merged` to `kept`: (what, how many), for the preview."""
    counts = []
    for field in _references():
        count = field.model._base_manager.filter(**{field.name: merged}).count()
        if count:
            counts.append((str(field.model._meta.verbose_name_plural), count))
    return sorted(counts)


def _move_references(kept: Person, merged: Person) -> dict[str, int]:
    moved = {}
    for field in _references():
        count = field.model._base_manager.filter(**{field.name: merged}).update(
            **{field.name: kept}
        )
        if count:
            moved[field.model._meta.label_lower] = count
    for many in _many_to_many():
        through: Any = many.remote_field.through
        target, source = many.m2m_reverse_field_name(), many.m2m_field_name()
        already = through.objects.filter(**{target: kept}).values_list(source, flat=True)
        rows = through.objects.filter(**{target: merged})
        rows.filter(**{f"{source}__in": list(already)}).delete()
        rows.update(**{target: kept})
    return moved


def _take_consent(kept: Person, merged: Person) -> None:
    """The more recent word on SMS is the person's word now, with the phone it was for."""
    theirs, ours = merged.sms_consent_changed_at, kept.sms_consent_changed_at
    if theirs is None or (ours is not None and ours >= theirs):
        return
    kept.sms_consent = merged.sms_consent
    kept.sms_consent_changed_at = theirs
    kept.sms_consent_changed_by = merged.sms_consent_changed_by
    if merged.sms_consent and merged.phone:
        kept.phone = merged.phone


@transaction.atomic
def person_merge(*, actor: User, kept: Person, merged: Person) -> Person:
    """`merged` goes into `kept`: everything moves, the merged code becomes a replaced one."""
    if not actor.has_perm("people.merge_person", kept):
        raise PermissionDenied
    if kept.pk == merged.pk:
        raise DomainError(_("Choose two different records."), field="other", code="same")
    locked = {
        p.pk: p for p in Person.objects.select_for_update().filter(pk__in=[kept.pk, merged.pk])
    }
    kept, merged = locked[kept.pk], locked[merged.pk]
    moved = _move_references(kept, merged)
    ReplacedCode.objects.filter(person=merged).update(person=kept)
    was_consenting = kept.sms_consent
    _take_consent(kept, merged)
    kept.name = kept.name or merged.name
    kept.phone = kept.phone or merged.phone
    kept.last_seen_at = max(kept.last_seen_at, merged.last_seen_at)
    merged_code = merged.code
    merged.delete()
    kept.save()
    ReplacedCode.objects.create(
        code=merged_code, person=kept, reason=ReplacedCode.Reason.MERGED, replaced_by=actor
    )
    if not kept.sms_consent and (was_consenting or merged.sms_consent):
        # The more recent word was "no SMS": what waits for either record is cancelled.
        sms_consent_withdrawn.send(sender=Person, person=kept)
    audit_record(
        actor=actor,
        action="person.merge",
        target=kept,
        details={"kept": kept.code, "merged": merged_code, "moved": moved},
    )
    return kept
