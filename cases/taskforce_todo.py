"""The home page's line for overdue task-force milestones (issue 16), beside the case queues:
one scoped count, for the township and county roles that see task forces."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from cases.taskforces import TaskForceMilestone
from governance.roles import Capability
from governance.scoping import sees_everything, unit_grants
from governance.todo import TodoItem


def milestone_queue(request):
    user = request.user
    if sees_everything(user) or not user.has_perm("cases.view_taskforcemilestone"):
        return []
    if not (unit_grants(user, Capability.RAISE_CASE) or unit_grants(user, Capability.COORDINATE_CASES)):
        return []
    count = TaskForceMilestone.objects.for_user(user).filter(Q(overdue=True), done_at__isnull=True).count()
    url = f"{reverse('admin:cases_taskforcemilestone_changelist')}?overdue__exact=1&done=open"
    return [TodoItem(_("Overdue task-force milestones"), count, url, urgent=True)]
