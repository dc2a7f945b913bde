"""Election editors manage media-literacy campaigns and see their reach."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from civicshield.site.roles import role_required

from .events import PLACEMENTS
from .models import Campaign, reach


class CampaignForm(forms.ModelForm):
    target_regions = forms.CharField(
        required=False, help_text='Comma-separated, e.g. "US, US-TX"; empty = everywhere'
    )
    placements = forms.MultipleChoiceField(
        choices=[(p, p.replace("_", " ")) for p in PLACEMENTS], widget=forms.CheckboxSelectMultiple
    )
    tips = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), help_text="One tip per line")
    video_url = forms.URLField(max_length=500, required=False, assume_scheme="https")
    link_url = forms.URLField(max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = Campaign
        fields = [
            "slug",
            "title",
            "locale",
            "target_regions",
            "starts_at",
            "ends_at",
            "placements",
            "tips",
            "video_url",
            "link_url",
            "active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["target_regions"] = ", ".join(self.instance.target_regions)
            self.initial["tips"] = "\n".join(self.instance.tips)

    def clean_target_regions(self):
        import re

        regions = [r.strip().upper() for r in self.cleaned_data["target_regions"].split(",") if r.strip()]
        bad = [r for r in regions if not re.fullmatch(r"[A-Z]{2}(-[A-Z0-9]{1,3})?", r)]
        if bad:
            raise forms.ValidationError(
                f"not a region code: {', '.join(bad)} (use ISO codes like US or US-TX)"
            )
        return regions

    def clean_tips(self):
        tips = [t.strip() for t in self.cleaned_data["tips"].splitlines() if t.strip()]
        if not tips:
            raise forms.ValidationError("add at least one tip")
        return tips

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", "The campaign must end after it starts.")
        return data


@role_required("election_editor")
def campaigns(request: HttpRequest) -> HttpResponse:
    rows = list(Campaign.objects.all())
    counts = reach([c.slug for c in rows])
    for c in rows:
        c.reach = counts.get(c.slug, {"impressions": 0, "clicks": 0})
        c.ctr = (c.reach["clicks"] / c.reach["impressions"]) if c.reach["impressions"] else None
    return render(request, "literacy/campaigns.html", {"campaigns": rows})


@role_required("election_editor")
def edit_campaign(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk) if pk else None
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.created_by = saved.created_by or request.user.get_username()
        saved.save()
        from civicshield.intake import context

        context.reset()
        messages.success(request, f"Saved campaign {saved.title}.")
        return redirect("literacy-console:campaigns")
    return render(
        request,
        "literacy/campaign_form.html",
        {
            "form": form,
            "campaign": campaign,
            "preview": json.dumps(campaign.as_resource(), default=str, indent=1) if campaign else "",
        },
    )
