"""
The project's own tables: the one-time token each create form carries (see
submissions.py), and the key canary, a known text stored encrypted under
FIELD_ENCRYPTION_KEY so that start-up can prove the configured keys open what the
database holds (fieldapp/checks.py).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fieldapp.crypto import EncryptedTextField

CANARY_TEXT = "FIELD_ENCRYPTION_KEY opens the notes in this database."


class Submission(models.Model):
    """
    A create form's token, used once by one user, and the page its result is on: a second
    POST with the same token is sent there instead of creating again. The unique
    constraint, not a read before the insert, makes two POSTs at the same moment record
    one submission.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.UUIDField()
    result_url = models.TextField(blank=True)
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "token"], name="submission_once_per_user"),
        ]

    def __str__(self) -> str:
        return str(self.token)


class KeyCanary(models.Model):
    """One row, written with the first key on the first start; notes_reencrypt rotates it."""

    text = EncryptedTextField(_("text"))

    class Meta:
        verbose_name = _("encryption key canary")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    def opens(self) -> bool:
        return self.text == CANARY_TEXT
