"""Reads for the webhook pages. Every one is a fixed number of queries, whatever the number of rows."""

import datetime

from django.db.models import Count, FilteredRelation, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from enablement.webhooks.models import WebhookDelivery, WebhookEndpoint

State = WebhookDelivery.State
STATS_WINDOW = datetime.timedelta(hours=24)


def endpoints_with_stats(*, now: datetime.datetime | None = None) -> QuerySet[WebhookEndpoint]:
    """Every endpoint with its deliveries of the last 24 hours counted by state (`delivered_recently`,
    `failed_recently`, `pending_recently`) and the time of its latest delivery (`last_delivery_at`).
    One query: the join reads only the window's deliveries (index on endpoint, created_at)."""
    since = (now or timezone.now()) - STATS_WINDOW
    latest = WebhookDelivery.objects.filter(endpoint=OuterRef("pk")).order_by("-created_at").values("created_at")[:1]
    return (
        WebhookEndpoint.objects.select_related("created_by")
        .annotate(recent=FilteredRelation("deliveries", condition=Q(deliveries__created_at__gte=since)))
        .annotate(
            delivered_recently=Count("recent", filter=Q(recent__state=State.DELIVERED)),
            failed_recently=Count("recent", filter=Q(recent__state=State.FAILED)),
            pending_recently=Count("recent", filter=Q(recent__state__in=[State.PENDING, State.SENDING])),
            last_delivery_at=Subquery(latest),
        )
    )


def deliveries_of(endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    return endpoint.deliveries.select_related("event").order_by("-created_at", "-pk")


def deliveries_for_pages() -> QuerySet[WebhookDelivery]:
    return WebhookDelivery.objects.select_related("event", "endpoint")
