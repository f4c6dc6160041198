"""Settings for every environment, read from the environment, by concept: base (the project, security,
database, accounts, email, logging), sso, api, work (background work and the product's timings). Each part
reads what it needs of the base; DJANGO_SETTINGS_MODULE stays `enablement.settings`."""

from enablement.settings.api import *  # noqa: F403
from enablement.settings.base import *  # noqa: F403
from enablement.settings.sso import *  # noqa: F403
from enablement.settings.work import *  # noqa: F403
