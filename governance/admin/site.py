from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Party-building-led grassroots governance")
admin.site.site_title = _("Grassroots governance")
admin.site.index_title = _("Workbench")
