"""VIP feed import: parse rate of the defusedxml reader and end-to-end `import-vip` time, 5.2 vs 6.0.

A generated county feed with 5,000 polling locations (plus early-vote sites) is parsed in each version,
then stored into a fresh SQLite database twice: the second import must change nothing, and its time is
the cost of a no-op re-import.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULT = ROOT / "bench/results/elections_vip_import.json"
LOCATIONS = 5000


def main() -> None:
    home = tempfile.mkdtemp(prefix="civicshield-bench-vip-")
    os.environ["CIVICSHIELD_HOME"] = home
    sys.path.insert(0, str(ROOT))
    from tests.elections.vip_feeds import vip_feed

    from civicshield.elections.vip import parse_feed
    from civicshield.site.bootstrap import setup_django

    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.apps import apps

    apps.get_app_config("elections").load_reference_data()
    from civicshield.elections.importing import store_vip

    figures: dict[str, float] = {}
    for version in ("5.2", "6.0"):
        raw = (
            vip_feed(version, polling_locations=LOCATIONS, early_sites=200)
            .replace("<VipId>48453</VipId>", f"<VipId>bench-{version}</VipId>")
            .encode()
        )
        start = time.perf_counter()
        feed = parse_feed(raw)
        parse_s = time.perf_counter() - start
        start = time.perf_counter()
        first = store_vip(feed, raw)
        first_s = time.perf_counter() - start
        start = time.perf_counter()
        again = store_vip(parse_feed(raw), raw)
        again_s = time.perf_counter() - start
        assert again["records"]["created"] == again["records"]["updated"] == 0, again
        tag = version.replace(".", "")
        figures[f"v{tag}_parse_locations_per_s"] = round(len(feed.polling_locations) / parse_s)
        figures[f"v{tag}_first_import_s"] = round(first_s, 2)
        figures[f"v{tag}_reimport_noop_s"] = round(again_s, 2)
        figures[f"v{tag}_feed_mb"] = round(len(raw) / 1e6, 2)
        figures[f"v{tag}_records_created"] = first["records"]["created"]
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(
        json.dumps(
            {
                "title": "VIP 5.2 / 6.0 feed import (5,200 polling places and early-vote sites)",
                "command": ".venv/bin/python bench/elections_vip_import.py",
                "figures": figures,
                "notes": "SQLite in a temporary CIVICSHIELD_HOME; import writes row by row (update-or-create keyed by "
                "feed and object id) so a re-import is a no-op; parse is defusedxml ElementTree.",
            },
            indent=1,
        )
        + "\n"
    )
    print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
