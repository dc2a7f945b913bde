"""The election editor's console: what needs re-verifying, broken links, and editing facts and elections."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from civicshield.site.roles import role_required

from .facts import next_election
from .freshness import freshness_window_days, is_stale, needs_reverification
from .models import Election, KeyDate, LinkCheck, VoterFact


@role_required("election_editor")
def dashboard(request: HttpRequest) -> HttpResponse:
    today = timezone.now().date()
    window = freshness_window_days()
    upcoming = {}
    stale = []
    for fact in VoterFact.objects.select_related("jurisdiction").order_by(
        "last_verified", "jurisdiction__name"
    ):
        if not is_stale(fact.last_verified, today, window):
            continue
        country = fact.jurisdiction.country
        if country not in upcoming:
            e = next_election(country, today)
            upcoming[country] = e.date or e.window_start if e else None
        fact.urgent = needs_reverification(fact.last_verified, today, upcoming[country], window)
        stale.append(fact)
    stale.sort(key=lambda f: (not f.urgent, f.last_verified))
    return render(
        request,
        "elections/console_dashboard.html",
        {
            "stale": stale[:300],
            "stale_count": len(stale),
            "window": window,
            "broken_links": LinkCheck.objects.filter(ok=False).order_by("url")[:200],
            "elections": Election.objects.order_by("date", "window_start")[:300],
        },
    )


class FactForm(forms.Form):
    value = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Text, a URL, or JSON for structured values",
    )
    source_url = forms.URLField(max_length=500, assume_scheme="https")
    as_of = forms.DateField(help_text="Date of the source (YYYY-MM-DD)")
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def clean_value(self):
        raw = self.cleaned_data["value"].strip()
        if raw[:1] in "{[" or raw in ("true", "false", "null"):
            try:
                return json.loads(raw)
            except json.JSONDecodeError as exc:
                raise forms.ValidationError(f"not valid JSON: {exc.msg}") from None
        return raw or None


@role_required("election_editor")
def edit_fact(request: HttpRequest, pk: int) -> HttpResponse:
    fact = get_object_or_404(VoterFact.objects.select_related("jurisdiction"), pk=pk)
    initial = {
        "value": fact.value if isinstance(fact.value, str) else json.dumps(fact.value),
        "source_url": fact.source_url,
        "as_of": fact.as_of,
        "note": fact.note,
    }
    form = FactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fact.value, fact.source_url, fact.as_of, fact.note = (
            data["value"],
            data["source_url"],
            data["as_of"],
            data["note"],
        )
        fact.last_verified = timezone.now().date()
        fact.verified_by = request.user.get_username()
        fact.source_dataset = "election editor"
        fact.save()
        from civicshield.intake import context

        context.reset()
        messages.success(request, f"{fact} verified and saved.")
        return redirect("elections-console:dashboard")
    return render(request, "elections/console_fact.html", {"fact": fact, "form": form})


class ElectionForm(forms.ModelForm):
    source_url = forms.URLField(max_length=500, assume_scheme="https", required=False)

    class Meta:
        model = Election
        fields = [
            "name",
            "country",
            "division_id",
            "type",
            "date",
            "date_status",
            "window_start",
            "window_end",
            "rule",
            "source_url",
        ]

    def clean(self):
        data = super().clean()
        if data.get("date_status") in ("declared", "scheduled_by_law") and not data.get("date"):
            self.add_error("date", "A declared or scheduled election needs a date.")
        if data.get("date_status") == "expected_window" and not (
            data.get("window_start") and data.get("window_end")
        ):
            self.add_error("window_start", "An expected window needs a start and an end.")
        if data.get("country"):
            data["country"] = data["country"].upper()
        return data


class KeyDateForm(forms.ModelForm):
    source_url = forms.URLField(max_length=500, assume_scheme="https")

    class Meta:
        model = KeyDate
        fields = ["kind", "date", "jurisdiction", "basis", "note", "source_url"]


@role_required("election_editor")
def edit_election(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    election = get_object_or_404(Election, pk=pk) if pk else None
    key_form = KeyDateForm(request.POST if "add_key_date" in request.POST else None, prefix="kd")
    if election and "add_key_date" in request.POST:
        if key_form.is_valid():
            key_date = key_form.save(commit=False)
            key_date.election = election
            key_date.last_verified = timezone.now().date()
            if KeyDate.objects.filter(
                election=election,
                jurisdiction=key_date.jurisdiction,
                kind=key_date.kind,
                basis=key_date.basis,
            ).exists():
                key_form.add_error("kind", "This election already has that key date; edit it in the admin.")
            else:
                key_date.save()
                messages.success(request, f"Added {key_date.get_kind_display()} {key_date.date}.")
                return redirect("elections-console:edit-election", pk=election.pk)
        form = ElectionForm(instance=election)
        return render(
            request,
            "elections/console_election.html",
            {"form": form, "election": election, "key_form": key_form},
        )
    form = ElectionForm(request.POST or None, instance=election)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.last_verified = timezone.now().date()
        saved.verified_by = request.user.get_username()
        saved.origin = saved.origin or "election editor"
        saved.save()
        messages.success(request, f"Saved {saved}.")
        return redirect("elections-console:dashboard")
    return render(
        request, "elections/console_election.html", {"form": form, "election": election, "key_form": key_form}
    )
