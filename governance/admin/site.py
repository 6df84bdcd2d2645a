from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Party-building-led grassroots governance")
admin.site.site_title = _("Grassroots governance")
admin.site.index_title = _("Workbench")
# The lists need the width (the assignment list's dues at 1366 px); the home page and the
# breadcrumbs lead everywhere the sidebar did.
admin.site.enable_nav_sidebar = False
