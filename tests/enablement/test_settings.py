import gc
import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from enablement.env import env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "x" * 20 + "a-long-production-secret-key-for-the-deploy-check-0123456789",
    "DJANGO_ALLOWED_HOSTS": "enablement.example.com",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_under_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "DJANGO_SECRET_KEY"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "Set the DJANGO_SECRET_KEY environment variable" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "DJANGO_ALLOWED_HOSTS"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "Set DJANGO_ALLOWED_HOSTS" in result.stderr


def test_development_key_is_refused_for_a_public_host():
    result = _manage("check", env={"DJANGO_ALLOWED_HOSTS": "enablement.example.com"})
    assert result.returncode != 0
    assert "needs DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_debug():
    result = _manage("check", env={**PRODUCTION_ENV, "DJANGO_DEBUG": "true"})
    assert result.returncode != 0
    assert "DJANGO_DEBUG cannot be on" in result.stderr


def test_a_webhook_timeout_that_is_not_well_under_the_claim_lease_is_refused():
    result = _manage("check", env={"WEBHOOK_TIMEOUT_SECONDS": "200", "WEBHOOK_CLAIM_LEASE_SECONDS": "300"})
    assert result.returncode != 0
    assert "at most half of WEBHOOK_CLAIM_LEASE_SECONDS" in result.stderr


def test_seed_demo_refuses_production_settings():
    result = _manage("seed_demo", env=PRODUCTION_ENV)
    assert result.returncode != 0
    assert "never runs in production" in result.stderr


def test_defaults_are_secure_without_configuration():
    assert settings.DEBUG is False
    assert settings.CELERY_TASK_ACKS_LATE is True
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST is True


def test_sqlite_uses_wal_and_immediate_transactions(django_db_blocker):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("Only the SQLite default needs WAL and immediate transactions.")
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    assert connection.transaction_mode == "IMMEDIATE"


def test_env_helpers_fail_loudly_on_bad_values(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "perhaps")
    monkeypatch.setenv("SOME_NUMBER", "twelve")
    monkeypatch.setenv("SOME_LIST", "a, b,,c")
    monkeypatch.delenv("MISSING_VALUE", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG must be true or false"):
        env_bool("SOME_FLAG", False)
    with pytest.raises(ImproperlyConfigured, match="SOME_NUMBER must be an integer"):
        env_int("SOME_NUMBER", 1)
    with pytest.raises(ImproperlyConfigured, match="Set the MISSING_VALUE"):
        env_str("MISSING_VALUE")
    assert env_list("SOME_LIST", []) == ["a", "b", "c"]
    assert env_str("MISSING_VALUE", "fallback") == "fallback"


def test_suite_runs_on_the_database_the_environment_names():
    from django.db import connection

    url = os.environ.get("DATABASE_URL", "sqlite://")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected


def test_production_keeps_database_connections_with_a_health_check():
    code = "from django.conf import settings; d = settings.DATABASES['default']; "
    code += "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    result = _manage("shell", "-c", code, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["600", "True"], result.stdout


def test_gunicorn_keeps_its_control_socket_under_var(tmp_path, monkeypatch):
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["control_socket"] == str(tmp_path / "gunicorn.ctl")
    assert config["workers"] == 4


def test_gunicorn_workers_freeze_what_the_app_loaded_out_of_the_collectors_sight(tmp_path, monkeypatch):
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    threshold = gc.get_threshold()
    try:
        config["post_worker_init"](worker=None)
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold()[0] == 10_000
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)


def test_loading_the_urls_leaves_the_scim_libraries_for_the_first_scim_request():
    """scim2-models takes about a second of CPU to import: only a process that serves SCIM pays it."""
    code = "import sys, enablement.urls; print('scim2_models' in sys.modules, 'scim2_server' in sys.modules)"
    result = _manage("shell", "-v", "0", "-c", code, env={})
    assert result.stdout.split() == ["False", "False"], result.stderr
