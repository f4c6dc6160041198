"""Test-only speedups on top of the real settings. Services (PostgreSQL, Redis) come from the same
environment variables as in production, so the suite runs unchanged against them."""

from enablement.settings import *  # noqa: F403
from enablement.settings import DATABASES, VAR_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Unit tests run tasks in-process; tests/integration starts real workers and turns this off.
CELERY_TASK_ALWAYS_EAGER = True
# The webhook tests' receivers listen on 127.0.0.1.
WEBHOOK_ALLOW_PRIVATE_HOSTS = True
CELERY_TASK_EAGER_PROPAGATES = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so a worker process started by an integration test sees the same database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
else:
    # The suite's commits (migrations, transactional tests' flushes) need not wait for the WAL to reach the disk:
    # a crash loses nothing but a test database.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()

# No collectstatic before tests: whitenoise serves straight from the finders instead of STATIC_ROOT, each file
# looked up when asked for. Without autorefresh it would list every app's static files each time a test client
# starts its middleware (about 40 ms per client, over a minute of CPU a CI run).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
