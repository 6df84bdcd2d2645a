"""Forms of the inspection screens. They only collect input; ``cases.inspection_services`` judges it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from governance.models import CasePriority, CoordinationItem, Sector, Unit


class FindingForm(forms.Form):
    """A finding and, in the same step, its case (the leader's "record and raise")."""

    title = forms.CharField(label=_("finding"), max_length=200)
    description = forms.CharField(label=_("description"), widget=forms.Textarea(attrs={"rows": 3}))
    village = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("village"), required=False)
    place = forms.CharField(label=_("place"), max_length=200, required=False)
    item = forms.ModelChoiceField(
        queryset=CoordinationItem.objects.filter(active=True), label=_("coordination item"), required=False
    )
    priority = forms.ChoiceField(label=_("priority"), choices=CasePriority.choices, initial=CasePriority.NORMAL)
    raise_case = forms.BooleanField(
        label=_("raise its case now"),
        required=False,
        initial=True,
        help_text=_(
            "The case enters whistle-and-report with the item's dues; the item's co-handling departments are ticked."
        ),
    )
    extra_co_sectors = forms.MultipleChoiceField(
        label=_("other co-handling departments"),
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, township_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Unit.objects.filter(parent_id=township_id).order_by("code")


class FindingCaseForm(forms.Form):
    extra_co_sectors = forms.MultipleChoiceField(
        label=_("other co-handling departments"),
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The item's own co-handling departments are always ticked."),
    )


def finding_form_kwargs(inspection) -> dict:
    return {"township_id": inspection.township_id}
