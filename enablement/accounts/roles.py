"""The platform's groups. A user's groups say what they may do; the org tree says whom they see."""

from django.utils.translation import gettext_lazy as _

SALES_LEADER = "Sales leader"
SALES_MANAGER = "Sales manager"
RECRUITER = "Recruiter"
HR_ADMIN = "HR admin"

ALL_ROLES = (SALES_LEADER, SALES_MANAGER, RECRUITER, HR_ADMIN)

ROLE_DESCRIPTIONS = {
    SALES_LEADER: _("Writes role charters and the competency framework; sees their whole sub-tree."),
    SALES_MANAGER: _("Leads a team of sellers; works their own charter and coaching plan."),
    RECRUITER: _("Opens requisitions and moves candidates through interview loops."),
    HR_ADMIN: _("Maintains people and teams, API clients and platform settings."),
}
