"""No input gives a server error (issue 11: "a 500 on any input is a bug"), on the demo city.

Every form the admin offers (add pages, change pages and the workflow steps' pages) is posted
with values a person or a script could type into any field: a date in year 9999, a number beyond
any column, a NUL character, a very long text. Each answer is the form again with its errors, a
refusal or a redirect; the test client raises on a 500, so one would fail here with its traceback.
A new admin or field is covered without being listed.
"""

import pytest
from django import forms
from django.contrib import admin
from django.urls import reverse

from governance.admin.steps import WorkflowStepsMixin

pytestmark = pytest.mark.django_db

ODD_VALUES = ["9999-12-31 23:59:59", "-99999999999999999999", "测试\x00值", "长" * 3000]
PEOPLE = ["admin", "city_admin", "cg_clerk", "cg_secretary", "qh_org", "qh_centre", "qh_agri", "dg_village"]


def _form_of(context):
    if "adminform" in context:
        return context["adminform"].form
    return context.get("form")


def _payload(response, value) -> dict:
    """Every field of the page's form (and its inlines' management forms) set to ``value``."""
    form = _form_of(response.context)
    data = {}
    for name, field in form.fields.items():
        if isinstance(field, forms.FileField):
            continue
        key = form.add_prefix(name)
        data[key] = [value] if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField) else value
    for inline in response.context.get("inline_admin_formsets") or []:
        management = inline.formset.management_form
        data.update({management.add_prefix(name): management[name].value() for name in management.fields})
    return data


def _post_odd_values(client, url, who, failures):
    page = client.get(url)
    if page.status_code != 200 or page.context is None or _form_of(page.context) is None:
        return 0
    for value in ODD_VALUES:
        try:
            response = client.post(url, _payload(page, value))
        except Exception as error:
            failures.append(f"{url} {value[:12]!r}: {error!r}"[:160])
            continue
        assert response.status_code in (200, 302, 400, 403, 404), f"{who} {url} {value[:20]!r}: {response.status_code}"
    return len(ODD_VALUES)


def _urls(model, model_admin, request):
    info = model._meta.app_label, model._meta.model_name
    if model_admin.has_add_permission(request):
        yield reverse("admin:{}_{}_add".format(*info))
    record = model_admin.get_queryset(request).order_by("pk").first()
    if record is None:
        return
    if model_admin.has_change_permission(request, record):
        yield reverse("admin:{}_{}_change".format(*info), args=[record.pk])
    if isinstance(model_admin, WorkflowStepsMixin):
        for step in model_admin.offered_steps(request, record):
            yield model_admin.step_url(record, step)


def test_no_form_answers_odd_values_with_a_server_error(demo_city, client, rf):
    posted, failures = 0, []
    for username in PEOPLE:
        user = demo_city.users[username]
        client.force_login(user)
        request = rf.get("/")
        request.user = user
        for model, model_admin in admin.site._registry.items():
            if not model_admin.has_view_or_change_permission(request):
                continue
            for url in _urls(model, model_admin, request):
                posted += _post_odd_values(client, url, username, failures)
    assert posted > 200, "the walk reaches the admin's forms"
    assert failures == [], "\n".join(sorted(set(failures)))


ODD_QUERIES = [
    {"q": "测试\x00值"},
    {"q": "长" * 3000},
    {"p": "99999999999999999999"},
    {"p": "-1"},
    {"o": "abc"},
    {"o": "999.-3"},
    {"_changelist_filters": "\x00"},
]


def test_no_list_answers_odd_query_values_with_a_server_error(demo_city, client, rf):
    """The lists' own parameters (search, page, order) with what a typo or a probe sends."""
    answered = 0
    for username in ("admin", "cg_clerk", "qh_centre"):
        user = demo_city.users[username]
        client.force_login(user)
        request = rf.get("/")
        request.user = user
        for model, model_admin in admin.site._registry.items():
            if not model_admin.has_view_or_change_permission(request):
                continue
            changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
            for query in ODD_QUERIES:
                response = client.get(changelist, query)
                assert response.status_code in (200, 302, 400, 404), f"{username} {changelist} {query}"
                answered += 1
    assert answered > 100
