import pytest
from rest_framework.test import APIClient

from enablement.api.clients.services import api_client_create

SCIM_JSON = "application/scim+json"


@pytest.fixture
def scim_token(db):
    """An identity provider's client with the `scim` scope, and its token."""
    return api_client_create(name="Okta", scopes=["scim"], by=None)


@pytest.fixture
def scim(scim_token):
    """A SCIM client authenticated with the `scim` token."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {scim_token[1]}")
    return client
