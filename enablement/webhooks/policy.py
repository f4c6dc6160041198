"""Who manages webhooks: HR admins, signed in as themselves (never an API client's account)."""

from enablement.accounts import policy


def can_manage_webhooks(user: policy.User) -> bool:
    return policy.is_hr_admin(user) and not policy.is_api_client(user)
