"""What SCIM keeps beyond the org record: the identity provider's own keys, and two facts the org
record cannot hold. One row per person or group provisioned through SCIM; people and groups made
elsewhere have none and read as if every attribute had been set."""

from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _

from enablement.models import Person, TimeStampedModel


class ScimUser(TimeStampedModel):
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="scim", verbose_name=_("person"))
    external_id = models.CharField(
        _("identity provider's id"), max_length=255, blank=True, help_text=_("SCIM externalId, as the IdP sent it.")
    )
    employee_number_unset = models.BooleanField(
        _("employee number not set"),
        default=False,
        help_text=_(
            "The IdP never sent (or removed) employeeNumber: SCIM reports none, and the person's external id "
            "(derived, scim-..., when SCIM created them) stays as it is."
        ),
    )
    active_unset = models.BooleanField(
        _("active not set"),
        default=False,
        help_text=_("The IdP never set (or removed) `active`: the login is active and SCIM reports no value."),
    )

    class Meta:
        ordering = ["person"]
        verbose_name = _("SCIM user")

    def __str__(self) -> str:
        return str(self.person)


class ScimGroup(TimeStampedModel):
    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="scim", verbose_name=_("group"))
    external_id = models.CharField(
        _("identity provider's id"), max_length=255, blank=True, help_text=_("SCIM externalId, as the IdP sent it.")
    )

    class Meta:
        ordering = ["group"]
        verbose_name = _("SCIM group")

    def __str__(self) -> str:
        return str(self.group)
