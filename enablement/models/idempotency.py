from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from enablement.models.org import TimeStampedModel


class IdempotencyRecord(TimeStampedModel):
    """The answer to a POST sent with an `Idempotency-Key` header, kept so that the same request sent again
    (a client retrying after a timeout) is answered the same way instead of running twice.

    Keys are per account (`principal`): two clients may pick the same key. A record is bound to the path
    and the SHA-256 of the raw body it was first used with. It lives `TTL` (24 hours): after that the key
    is free again, and `manage.py purge_idempotency_records` deletes the rows. Written by
    `enablement.api.idempotency`; the status is empty only inside the transaction that claims the key, so no
    other request ever reads it empty.
    """

    TTL = timedelta(hours=24)

    principal = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("sent by")
    )
    key = models.CharField(_("idempotency key"), max_length=255)
    path = models.CharField(_("path"), max_length=500)
    request_fingerprint = models.CharField(_("request body SHA-256"), max_length=64)
    response_status = models.PositiveSmallIntegerField(_("response status"), null=True)
    response_body = models.TextField(_("response body (JSON)"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [
            models.UniqueConstraint(fields=["principal", "key"], name="idempotency_key_unique_per_principal"),
        ]
        indexes = [models.Index(fields=["created_at"], name="idempotency_record_time")]

    def __str__(self) -> str:
        return f"{self.key} {self.path} {self.response_status}"
