"""Forms of the task-force steps; ``cases.taskforce_services`` judges what they collect."""

from django import forms
from django.utils.translation import gettext_lazy as _

from governance.models import CasePriority, CoordinationItem, Unit, UnitLevel


class ProgressForm(forms.Form):
    content = forms.CharField(label=_("progress"), widget=forms.Textarea(attrs={"rows": 3}))
    milestone = forms.ModelChoiceField(queryset=None, label=_("milestone"), required=False)

    def __init__(self, *args, task_force, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = task_force.milestones.all()


class MilestoneCaseForm(forms.Form):
    item = forms.ModelChoiceField(queryset=CoordinationItem.objects.filter(active=True), label=_("coordination item"))
    priority = forms.ChoiceField(label=_("priority"), choices=CasePriority.choices, initial=CasePriority.NORMAL)
    township = forms.ModelChoiceField(
        queryset=Unit.objects.none(),
        label=_("township raising the case"),
        required=False,
        help_text=_("Only for a county-wide task force."),
    )

    def __init__(self, *args, county_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = Unit.objects.filter(parent_id=county_id, level=UnitLevel.TOWNSHIP)
