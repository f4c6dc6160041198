"""What SCIM keeps beyond the org record: the identity provider's own keys, two facts the org record
cannot hold, and the case-folded name that makes the database refuse a second user or group whose name
differs only in case. One row per person or group provisioned through SCIM; people and groups made
elsewhere have none and read as if every attribute had been set."""

from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enablement.models import Person, TimeStampedModel

# Usernames and group names are at most 150 characters; case folding makes a character at most three ("ΐ").
NAME_KEY_LENGTH = 450


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
    user_name_key = models.CharField(
        _("userName without case"),
        max_length=NAME_KEY_LENGTH,
        blank=True,
        editable=False,
        help_text=_("The userName SCIM last set, case-folded (str.casefold): unique, so a race cannot make two."),
    )

    class Meta:
        ordering = ["person"]
        verbose_name = _("SCIM user")
        constraints = [
            models.UniqueConstraint(
                fields=["user_name_key"],
                condition=~Q(user_name_key=""),
                name="scim_user_name_key_unique",
                violation_error_code="unique",
                violation_error_message=_("Another user has this userName, without case."),
            )
        ]

    def __str__(self) -> str:
        return str(self.person)


class ScimGroup(TimeStampedModel):
    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="scim", verbose_name=_("group"))
    external_id = models.CharField(
        _("identity provider's id"), max_length=255, blank=True, help_text=_("SCIM externalId, as the IdP sent it.")
    )
    name_key = models.CharField(
        _("displayName without case"),
        max_length=NAME_KEY_LENGTH,
        blank=True,
        editable=False,
        help_text=_("The name SCIM last set, case-folded (str.casefold): unique, so a race cannot make two."),
    )

    class Meta:
        ordering = ["group"]
        verbose_name = _("SCIM group")
        constraints = [
            models.UniqueConstraint(
                fields=["name_key"],
                condition=~Q(name_key=""),
                name="scim_group_name_key_unique",
                violation_error_code="unique",
                violation_error_message=_("Another group has this name, without case."),
            )
        ]

    def __str__(self) -> str:
        return str(self.group)
