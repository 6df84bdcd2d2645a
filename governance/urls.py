from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from governance.admin.password import password_change

# Uploaded files are never served from MEDIA_URL, not even in DEBUG: each download goes through
# a view that checks the user's scope (e.g. a case attachment through its case).
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("i18n/", include("django.conf.urls.i18n")),
    # Ahead of the admin's own view at this address, which counted no failures (issue 11).
    path("admin/password_change/", password_change),
    path("admin/", admin.site.urls),
    # The intake API for the 12345 hotline and other systems (issue 17; docs/api.md).
    path("api/v1/", include("governance.api.urls")),
]

handler400 = "governance.errors.bad_request"
handler403 = "governance.errors.permission_denied"
handler404 = "governance.errors.page_not_found"
handler500 = "governance.errors.server_error"
