"""The big tables' scope by the level of each grant (``ScopedQuerySet.scope_by_level``, issue 12)
selects exactly the rows the tree's rule selects: a row is in scope when one of its units lies in
the subtree of a unit where the user holds the capability. Every demo user, every capability."""

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q

from cases.models import Case, CaseAssignment, ServiceRequest
from governance.roles import Capability
from governance.scoping import units_for

pytestmark = pytest.mark.django_db

CAPABILITIES = [value for name, value in vars(Capability).items() if name.isupper()]


def _by_the_tree(model, user, capability):
    units = units_for(user, capability).values("pk")
    if model is Case:
        assigned = CaseAssignment.objects.filter(case=OuterRef("pk"), department__in=units)
        return Case.objects.filter(Q(township__in=units) | Q(village__in=units) | Exists(assigned))
    if model is CaseAssignment:
        return CaseAssignment.objects.filter(
            Q(department__in=units) | Q(case__township__in=units) | Q(case__village__in=units)
        )
    return ServiceRequest.objects.filter(Q(township__in=units) | Q(village__in=units))


def test_the_scope_by_level_is_the_scope_by_the_tree(demo_city):
    compared = 0
    for user in get_user_model().objects.filter(is_superuser=False):
        for capability in CAPABILITIES:
            for model in (Case, CaseAssignment, ServiceRequest):
                fast = set(model.objects.for_user(user, capability).values_list("pk", flat=True))
                assert fast == set(_by_the_tree(model, user, capability).values_list("pk", flat=True)), (
                    f"{user.username} {capability} {model.__name__}"
                )
                compared += bool(fast)
    assert compared > 30, "the demo's users see rows to compare"
