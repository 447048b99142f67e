"""Places where the work happens: camps, distribution points, warehouses, vans."""

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Site(models.Model):
    class Kind(models.TextChoices):
        CAMP = "camp", _("Camp")
        DISTRIBUTION_POINT = "distribution_point", _("Distribution point")
        WAREHOUSE = "warehouse", _("Warehouse")
        VAN = "van", _("Van")
        OFFICE = "office", _("Office")

    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, default=Kind.CAMP)
    area = models.CharField(_("area"), max_length=80, blank=True, help_text=_("Town or district."))
    is_active = models.BooleanField(
        _("in use"), default=True, help_text=_("Sites are closed, never deleted.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="site_name_unique_case_insensitive"),
        ]

    def __str__(self) -> str:
        return self.name
