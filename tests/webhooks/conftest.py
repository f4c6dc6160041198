import pytest

from enablement.webhooks.services import endpoint_create
from tests.webhooks.receiver import Receiver, make_certificates


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


@pytest.fixture
def endpoint(db, hr_admin, receiver):
    """An active endpoint receiving every event type, at the running receiver."""
    return endpoint_create(url=receiver.url, description="HR system", by=hr_admin)


@pytest.fixture
def fast_retries(settings):
    """Three retries, a second apart, so nothing sleeps for minutes."""
    settings.WEBHOOK_RETRY_SCHEDULE = [1, 1, 1]
    return settings


@pytest.fixture
def hiring_setup(hiring):
    """The shared `hiring` fixture, under a name that leaves `hiring` to the services module."""
    return hiring


@pytest.fixture(scope="session")
def certificates(tmp_path_factory):
    """A throwaway CA (`ca.pem`) and the certificates it signed for hooks.example.com and other.example.com."""
    try:
        return make_certificates(tmp_path_factory.mktemp("tls"), ["hooks.example.com", "other.example.com"])
    except FileNotFoundError:
        pytest.skip("the openssl command is not installed")
