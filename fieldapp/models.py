"""Forms sent once: the one-time token each create form carries (see submissions.py)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


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
