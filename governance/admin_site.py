"""The admin site of this project: Django's, with its titles and without the navigation sidebar."""

from django.contrib import admin
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _


class GovernanceAdminSite(admin.AdminSite):
    site_header = _("Party-building-led grassroots governance")
    site_title = _("Grassroots governance")
    index_title = _("Workbench")
    # The lists need the width (the assignment list's dues at 1366 px); the home page and the
    # breadcrumbs lead everywhere the sidebar did.
    enable_nav_sidebar = False

    def get_app_list(self, request, app_label=None):
        """The app list, built when a template first reads it. Every admin page names it in its
        context for the sidebar this site does not show, and building it asks each registered
        admin for the user's permissions: about a sixth of a list page's time (issue 12)."""
        build = super().get_app_list
        return SimpleLazyObject(lambda: build(request, app_label))
