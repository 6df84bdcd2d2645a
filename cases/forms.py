"""Forms for the case screens. They only collect input; the services judge it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Rating, ServiceRequest
from governance.admin.relations import SafeAutocompleteSelect
from governance.models import CasePriority, CoordinationItem, Sector, ServiceItem, Unit, UnitKind, UnitLevel
from governance.roles import Capability
from governance.scoping import units_for


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class CaseRaiseForm(forms.Form):
    township = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("township"))
    village = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("village"), required=False)
    item = forms.ModelChoiceField(queryset=CoordinationItem.objects.filter(active=True), label=_("coordination item"))
    title = forms.CharField(label=_("title"), max_length=200)
    description = forms.CharField(label=_("description"), widget=forms.Textarea)
    place = forms.CharField(label=_("place"), max_length=200, required=False)
    priority = forms.ChoiceField(label=_("priority"), choices=CasePriority.choices, initial=CasePriority.NORMAL)
    co_sectors = forms.MultipleChoiceField(
        label=_("co-handling departments"),
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The department of the item's lead sector is always assigned; the item's co-handling departments "
            "are ticked when it is chosen; tick the others that must act too."
        ),
    )
    left_out_reason = forms.CharField(
        label=_("reason for unticking a co-handling department"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed only when a department the item names as co-handling is unticked; kept on the timeline."),
    )
    attachments = MultipleFileField(label=_("attachments"), required=False)

    def __init__(self, *args, user, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        querysets = {
            "township": units_for(user, Capability.RAISE_CASE).filter(level=UnitLevel.TOWNSHIP),
            "village": units_for(user, Capability.RAISE_CASE).filter(level=UnitLevel.VILLAGE),
            "item": self.fields["item"].queryset,
        }
        for name, queryset in querysets.items():
            self.fields[name].widget = SafeAutocompleteSelect(Case._meta.get_field(name), admin_site)
            self.fields[name].queryset = queryset  # binds the widget's choices to the field
        townships = list(querysets["township"][:2])
        if len(townships) == 1:
            self.fields["township"].initial = townships[0].pk  # a clerk of one township need not pick it

    def item_co_sectors(self) -> dict[int, list[str]]:
        """Each active item's co-handling sectors, so the page ticks them when the item is chosen
        (the coordination list names who reports with the lead department; speech, 县乡协同事项)."""
        return {item.pk: item.co_sectors for item in self.fields["item"].queryset.only("pk", "co_sectors")}


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("file"))
    description = forms.CharField(label=_("description"), max_length=200, required=False)


class DepartmentChoiceForm(forms.Form):
    """Departments of one county: a short, bounded list (one per sector)."""

    department = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("department"))
    reason = forms.CharField(label=_("reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, county_id, exclude_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Unit.objects.filter(parent_id=county_id, kind=UnitKind.DEPARTMENT).exclude(
            pk__in=exclude_ids
        )


class FeedbackForm(forms.Form):
    feedback = forms.CharField(label=_("progress feedback"), widget=forms.Textarea(attrs={"rows": 3}))


class RespondForm(forms.Form):
    response = forms.CharField(label=_("result"), widget=forms.Textarea(attrs={"rows": 3}))


class RateForm(forms.Form):
    rating = forms.ChoiceField(label=_("rating"), choices=Rating.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CompleteForm(forms.Form):
    result = forms.CharField(label=_("result"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ServiceRequestLogForm(forms.Form):
    desk = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("desk"))
    item = forms.ModelChoiceField(queryset=ServiceItem.objects.filter(active=True), label=_("service item"))
    applicant_name = forms.CharField(label=_("applicant"), max_length=50)
    id_number = forms.CharField(label=_("ID number"), max_length=20)
    phone = forms.CharField(label=_("phone"), max_length=20)

    def __init__(self, *args, user, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        # The desk's autocomplete asks for the units the "township" field of a request may take,
        # which ServiceRequestAdmin scopes to the villages and townships where the user logs requests.
        self.fields["desk"].widget = SafeAutocompleteSelect(ServiceRequest._meta.get_field("township"), admin_site)
        self.fields["desk"].queryset = units_for(user, Capability.LOG_SERVICE_REQUEST).filter(
            level__in=[UnitLevel.TOWNSHIP, UnitLevel.VILLAGE]
        )
        self.fields["item"].widget = SafeAutocompleteSelect(ServiceRequest._meta.get_field("item"), admin_site)
        self.fields["item"].queryset = self.fields["item"].queryset
        desks = list(self.fields["desk"].queryset[:2])
        if len(desks) == 1:
            self.fields["desk"].initial = desks[0].pk  # a village desk's clerk need not pick it
