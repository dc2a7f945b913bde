"""`civicshield literacy …`: starter media-literacy campaigns for a fresh installation."""

from __future__ import annotations

import json

import typer

app = typer.Typer(help="Media-literacy campaigns.", no_args_is_help=True)

STARTER = [
    {
        "slug": "check-official-sources-en",
        "title": "Check official sources",
        "locale": "en",
        "target_regions": ["US"],
        "placements": ["search", "banner", "interstitial", "share_prompt"],
        "tips": [
            "Voting rules come from your state or local election office. Check there before you share.",
            "No US state lets you vote by text, phone or social media.",
            "Deadlines differ by state: look yours up on your state's official election website.",
        ],
        "link_url": "https://vote.gov/",
    },
    {
        "slug": "check-official-sources-es",
        "title": "Consulte fuentes oficiales",
        "locale": "es",
        "target_regions": ["US"],
        "placements": ["search", "banner", "interstitial", "share_prompt"],
        "tips": [
            "Las reglas para votar las fija la oficina electoral de su estado o condado. Consúltela antes de compartir.",
            "Ningún estado de EE. UU. permite votar por mensaje de texto, teléfono o redes sociales.",
        ],
        "link_url": "https://vote.gov/es/",
    },
]


@app.command("seed")
def seed() -> None:
    """Add two starter campaigns (English, Spanish) unless they exist; prints what changed as JSON."""
    from civicshield.site.bootstrap import setup_django

    setup_django()
    from .models import Campaign

    created = [
        c["slug"]
        for c in STARTER
        if Campaign.objects.get_or_create(slug=c["slug"], defaults={**c, "created_by": "seed"})[1]
    ]
    typer.echo(json.dumps({"created": created, "campaigns": Campaign.objects.count()}))
