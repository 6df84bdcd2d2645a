"""What an error mail to ADMINS may carry (issue 11): it leaves the system, so no posted values.

Django's reports hide only parameters a view marks sensitive; here forms post ID numbers, phones
and birth dates. The field names stay, for finding the fault.
"""

from django.views.debug import SafeExceptionReporterFilter


class PostedValuesHidden(SafeExceptionReporterFilter):
    def get_post_parameters(self, request):
        if request is None or not self.is_active(request):  # DEBUG's own page on a developer's machine
            return super().get_post_parameters(request)
        return {name: self.cleansed_substitute for name in request.POST}
