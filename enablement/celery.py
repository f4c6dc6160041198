"""The Celery application: configured from Django settings (CELERY_*), tasks found in every app."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "enablement.settings")

app = Celery("enablement")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# enablement keeps its tasks with the part they serve rather than in one tasks module.
app.autodiscover_tasks(["enablement.health", "enablement.notifications", "enablement.api"])
