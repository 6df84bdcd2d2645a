"""Production serves its own static files (issue 9): with DEBUG off, after collectstatic, the admin's
pages link hashed file names and WhiteNoise answers them, compressed."""

import re

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

MANIFEST_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


@pytest.mark.django_db
def test_the_login_page_is_styled_from_hashed_compressed_files(tmp_path):
    with override_settings(DEBUG=False, STATIC_ROOT=tmp_path, STORAGES=MANIFEST_STORAGES):
        call_command("collectstatic", interactive=False, verbosity=0)
        client = Client()  # a new handler: WhiteNoise indexes STATIC_ROOT as it starts
        page = client.get("/admin/login/").content.decode()
        stylesheet = re.search(r'href="(/static/admin/css/base\.[0-9a-f]{12}\.css)"', page)
        assert stylesheet, "the login page links the admin stylesheet by its hashed name"
        ours = re.search(r'href="(/static/governance/admin\.[0-9a-f]{12}\.css)"', page)
        assert ours, "and the project's own stylesheet too"
        response = client.get(stylesheet.group(1), HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/css")
        assert response["Content-Encoding"] == "gzip"
        assert "max-age=315360000" in response["Cache-Control"]  # hashed: cacheable for ever
        script = re.search(r'src="(/static/admin/js/[^"]+\.[0-9a-f]{12}\.js)"', page)
        assert script and client.get(script.group(1)).status_code == 200
