"""The leak test over every admin door (DESIGN.md §5), on the whole demo city.

For every registered admin, as users of each role in one township, department or county:
rows outside the user's scope never appear in a changelist, and their change, history and
delete pages answer as if they did not exist; autocomplete offers nothing outside scope; the
query string carries no lookup the list does not offer (the oracle of issue 11), on the list
and on its export alike. Admins that are deliberately the same for everybody are listed in
``GLOBAL_ADMINS``: a new admin that is neither scoped nor listed fails here, and every field of
a new model is probed without anyone listing it.
"""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from rest_framework.test import APIClient

from governance.admin.lookups import DeclaredLookupsMixin
from governance.admin.scoped import ScopedModelAdmin

pytestmark = pytest.mark.django_db

# Catalogues, the calendar and accounts: the same for every user who may see them at all.
GLOBAL_ADMINS = {
    "api.apicall",
    "api.apiclient",
    "api.webhookdelivery",
    "auth.group",
    "auth.user",
    "axes.accessattempt",
    "axes.accessfailurelog",
    "axes.accesslog",
    "governance.calendaryear",
    "governance.coordinationitem",
    "governance.enforcementitem",
    # The audit of refused import rows (issue 11.6): the city administrator's alone, by model permission.
    "governance.importrefusal",
    "governance.serviceitem",
}
SAMPLE = 3  # hidden rows tried per model


@pytest.fixture(scope="module")
def demo(demo_city):
    return demo_city


def _label(model):
    return f"{model._meta.app_label}.{model._meta.model_name}"


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_admin_is_scoped_or_declared_global():
    unscoped = {
        _label(model)
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, ScopedModelAdmin)
    }
    assert unscoped == GLOBAL_ADMINS, f"declare or scope: {unscoped ^ GLOBAL_ADMINS}"


ROLE_HOLDERS = ["ll_clerk", "ll_secretary", "dg_village", "qh_agri", "qh_centre", "qh_org"]


def test_no_admin_door_leaks_rows_outside_scope(demo, client):
    for username in ROLE_HOLDERS:
        client.force_login(demo.users[username])
        _try_every_door(client, demo.users[username], username)


def _try_every_door(client, user, username):
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, ScopedModelAdmin):
            continue
        visible = model._default_manager.for_user(user, model_admin.scope_capability)
        hidden = model._default_manager.exclude(pk__in=visible.values("pk"))[:SAMPLE]
        changelist = client.get(_url(model, "changelist"))
        if changelist.status_code == 200 and "cl" in changelist.context:
            listed = {obj.pk for obj in changelist.context["cl"].result_list}
            assert not listed & {obj.pk for obj in hidden}, f"{_label(model)} lists hidden rows to {username}"
        for obj in hidden:
            _assert_not_found(client, model, obj, username)


def _assert_not_found(client, model, obj, username):
    change = client.get(_url(model, "change", obj.pk))
    assert change.status_code in (302, 403), f"{_label(model)} #{obj.pk} change page open to {username}"
    if change.status_code == 302:
        assert change.url == reverse("admin:index"), f"{_label(model)} #{obj.pk} leaks via redirect"
    try:
        history_url = _url(model, "history", obj.pk)
    except NoReverseMatch:
        history_url = None
    if history_url:
        assert client.get(history_url).status_code in (403, 404), f"{_label(model)} #{obj.pk} history open"
    delete = client.get(_url(model, "delete", obj.pk))
    assert delete.status_code in (302, 403), f"{_label(model)} #{obj.pk} delete page open to {username}"


def test_no_autocomplete_offers_rows_outside_scope(demo, client):
    for username in ROLE_HOLDERS:
        client.force_login(demo.users[username])
        _try_every_autocomplete(client, demo.users[username], username)


def _try_every_autocomplete(client, user, username):
    for source_model, source_admin in admin.site._registry.items():
        for field_name in getattr(source_admin, "autocomplete_fields", ()):
            field = source_model._meta.get_field(field_name)
            remote = field.remote_field.model
            remote_admin = admin.site._registry.get(remote)
            if not isinstance(remote_admin, ScopedModelAdmin):
                continue
            response = client.get(
                reverse("admin:autocomplete"),
                {
                    "app_label": source_model._meta.app_label,
                    "model_name": source_model._meta.model_name,
                    "field_name": field_name,
                    "term": "",
                },
            )
            if response.status_code != 200:
                continue
            offered = {int(row["id"]) for row in response.json()["results"]}
            allowed = set(remote._default_manager.for_user(user).values_list("pk", flat=True))
            assert offered <= allowed, f"{_label(source_model)}.{field_name} offers hidden rows to {username}"


# Probes an attacker with a real account would send; none of them is a filter any list offers.
ORACLE_LOOKUPS = ("startswith", "regex", "gte", "exact")


def _probes(model, model_admin, request):
    """(parameter, value) for every field of the model the list does not declare as a filter, each
    field with one of the lookups in turn: the list refuses a field whatever the lookup, and every
    lookup is still sent to every list with four fields or more (every lookup on every field made
    this the suite's slowest test as the lists grew)."""
    declared = model_admin.declared_filter_paths(request)
    fields = [f for f in model._meta.get_fields() if getattr(f, "concrete", False) and f.name not in declared]
    for index, field in enumerate(fields):
        name = f"{field.name}__id" if isinstance(field, models.ForeignKey) else field.name
        yield f"{name}__{ORACLE_LOOKUPS[index % len(ORACLE_LOOKUPS)]}", "1"


def test_no_list_or_export_answers_a_lookup_it_does_not_offer(demo, client, rf):
    cells = 0
    for username in ["dg_village", *ROLE_HOLDERS]:
        user = demo.users[username]
        client.force_login(user)
        request = rf.get("/")
        request.user = user
        for model, model_admin in admin.site._registry.items():
            if not isinstance(model_admin, DeclaredLookupsMixin):
                continue
            changelist = _url(model, "changelist")
            if client.get(changelist).status_code != 200:
                continue  # the role has no such list
            for parameter, value in _probes(model, model_admin, request):
                response = client.get(changelist, {parameter: value})
                assert response.status_code == 400, f"{_label(model)}?{parameter} answers {username}"
                cells += 1
                export = _export_url(model)
                if export:
                    response = client.get(export, {"format": "csv", parameter: value})
                    assert response.status_code in (302, 403), f"{_label(model)} export ?{parameter} answers {username}"
                    cells += 1
    assert cells > 250, "the probes reach every list"


def _export_url(model):
    try:
        return _url(model, "export")
    except NoReverseMatch:
        return None


def test_the_lists_declared_filters_still_work(demo, client):
    client.force_login(demo.users["ll_clerk"])
    assert client.get(reverse("admin:cases_case_changelist"), {"state__exact": "open"}).status_code == 200
    assignments = reverse("admin:cases_caseassignment_changelist")
    assert client.get(assignments, {"state__in": "assigned,accepted"}).status_code == 200
    township = demo.townships["柳林镇"].pk
    assert client.get(reverse("admin:cases_case_changelist"), {"township__id__exact": township}).status_code == 200
    # The lists' own filters (SimpleListFilter) by their parameters, as the to-do panel links them.
    assert client.get(assignments, {"due": "overdue"}).status_code == 200
    assert client.get(reverse("admin:cases_servicerequest_changelist"), {"due": "overdue"}).status_code == 200
    assert client.get(reverse("admin:staffing_secondment_changelist"), {"state__exact": "in_force"}).status_code == 200


def test_every_link_of_the_todo_panel_opens_its_list(demo, client, rf):
    """Each queue's link is a list the user may open, with filters the list offers."""
    from governance.todo import todo_for

    users = ["cg_clerk", "cg_secretary", "cg_office", "ll_clerk", "dg_village", "qh_agri", "qh_centre", "qh_org"]
    for username in users:
        client.force_login(demo.users[username])
        request = rf.get("/admin/")
        request.user = demo.users[username]
        for item in todo_for(request):
            assert client.get(item.url).status_code == 200, f"{username}: {item.label} {item.url}"


def test_a_masked_column_does_not_sort(demo, client):
    """Sorting by the masked ID number would tell the order of what the mask hides."""
    client.force_login(demo.users["ll_clerk"])
    response = client.get(reverse("admin:staffing_cadre_changelist"))
    assert "column-id_number_shown" in response.content.decode()
    assert "sortable column-id_number_shown" not in response.content.decode()  # no sorting link
    column = list(response.context["cl"].list_display).index("id_number_shown")
    changelist = client.get(reverse("admin:staffing_cadre_changelist"), {"o": str(column)}).context["cl"]
    assert not any("id_number" in str(term) for term in changelist.queryset.query.order_by)


def test_a_list_sorts_only_by_the_columns_it_offers(demo, client):
    """Issue 12: ``?o=7`` sorted a million assignments by the overdue flag (5 s, no index)."""
    client.force_login(demo.users["qh_centre"])
    changelist = client.get(reverse("admin:cases_caseassignment_changelist"), {"o": "7"}).context["cl"]
    assert list(changelist.list_display)[7] == "overdue_shown"
    assert not any("overdue" in str(term) for term in changelist.queryset.query.order_by)
    resolve = list(changelist.list_display).index("resolve_due")
    changelist = client.get(reverse("admin:cases_caseassignment_changelist"), {"o": str(resolve)}).context["cl"]
    assert str(changelist.queryset.query.order_by[0]).lstrip("-") == "resolve_due"


# --- the intake API (issue 17): every route of a scoped endpoint, as clients scoped like the roles ---

# The catalogues are the same for every client; the unit tree is checked below on its own.
GLOBAL_API_VIEWS = {"ServiceItemViewSet", "CoordinationItemViewSet", "UnitViewSet"}


def _api_clients(demo):
    from governance.api.clients import api_client_register
    from governance.api.models import API_CAPABILITIES

    qinghe = demo.counties[0]
    scopes = {
        "county": qinghe,
        "township": demo.townships["柳林镇"],
        "village": demo.villages["东关村"],
        "department": demo.departments[(qinghe.code, "agriculture")],
        "other county": demo.counties[1],
    }
    clients = {}
    for name, unit in scopes.items():
        issued = api_client_register(
            actor=demo.users["admin"],
            name=f"泄露测试 {name}",
            units=[unit],
            capabilities=[value for value, _label in API_CAPABILITIES],
            token_expires_at=timezone.now() + timedelta(days=1),
        )
        http = APIClient()
        http.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.token}")
        clients[name] = (issued.client, http)
    return clients


def test_every_api_endpoint_is_scoped_or_declared_global():
    from governance.api.urls import router
    from governance.api.views import ScopedViewSet

    viewsets = [viewset for _prefix, viewset, _name in router.registry]
    unscoped = {viewset.__name__ for viewset in viewsets if not issubclass(viewset, ScopedViewSet)}
    assert unscoped == GLOBAL_API_VIEWS, f"declare or scope: {unscoped ^ GLOBAL_API_VIEWS}"


def test_no_api_route_reaches_a_record_outside_the_clients_units(demo):
    from governance.api.urls import router
    from governance.api.views import ScopedViewSet

    tried = 0
    for name, (client, http) in _api_clients(demo).items():
        for _prefix, viewset, basename in router.registry:
            if not issubclass(viewset, ScopedViewSet):
                continue
            model, lookup = viewset.scope_model, viewset.lookup_field
            visible = model._default_manager.for_user(client.user)
            hidden = list(model._default_manager.exclude(pk__in=visible.values("pk"))[:SAMPLE])
            rows = http.get(reverse(f"{basename}-list"), {"page_size": 200}).json()["results"]
            listed = {row[lookup if lookup != "pk" else "id"] for row in rows}
            assert not listed & {getattr(obj, lookup) for obj in hidden}, f"{basename} lists hidden rows to {name}"
            for route in router.get_routes(viewset):
                if not route.detail:
                    continue
                route_name = route.name.format(basename=basename)
                nothing = "0" if lookup == "pk" else "2000-000000000-0000"
                missing = http.get(reverse(route_name, kwargs={lookup: nothing}))
                for obj in hidden:
                    response = http.get(reverse(route_name, kwargs={lookup: getattr(obj, lookup)}))
                    assert (response.status_code, response.json()) == (404, missing.json()), f"{route_name} to {name}"
                    tried += 1
    assert tried > 20, "the walk reaches hidden records of every scoped route"


def test_the_api_unit_tree_is_the_clients_units(demo):
    from governance.models import Unit
    from governance.scoping import units_for

    for name, (client, http) in _api_clients(demo).items():
        listed = {unit["code"] for unit in http.get(reverse("api-unit-list"), {"page_size": 1000}).json()["results"]}
        assert listed == set(units_for(client.user).values_list("code", flat=True)), name
        assert listed < set(Unit.objects.values_list("code", flat=True)), name
