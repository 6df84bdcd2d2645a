"""Existing cadres survive issue 10's migration: category 公务员, their stored pre-2019 rank kept."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("staffing", "0004_cadre_indexes")]
AFTER = [("staffing", "0005_staff_category_ranks_and_plausible_dates")]


@pytest.mark.django_db(transaction=True)
def test_existing_cadres_become_civil_servants_with_their_old_rank_names():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Unit, Cadre = old.get_model("governance", "Unit"), old.get_model("staffing", "Cadre")
    city = Unit.objects.create(name="豫中市", code="419900000000", kind="city", level="city", path="/419900000000/")
    county = Unit.objects.create(
        name="清河县", code="419921000000", kind="county", level="county", parent=city, path="/x/"
    )
    town = Unit.objects.create(
        name="城关镇", code="419921100000", kind="town", level="township", parent=county, path="/y/", staff_quota=100
    )
    for number, rank in enumerate(["staff", "section_member", "deputy_section", "section", "deputy_division"]):
        Cadre.objects.create(
            name=f"干部{number}",
            id_number=f"41010219650308{number:03d}X",
            gender="male",
            birth_date="1965-03-08",
            political_status="cpc_member",
            education="bachelor",
            home_unit=town,
            current_post="科员",
            rank=rank,
        )
    try:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(AFTER)
        new = executor.loader.project_state(AFTER).apps.get_model("staffing", "Cadre")
        rows = set(new.objects.values_list("staff_category", "rank", "leadership_level"))
        assert rows == {
            ("civil_servant", rank, "")
            for rank in ["staff", "section_member", "deputy_section", "section", "deputy_division"]
        }
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
