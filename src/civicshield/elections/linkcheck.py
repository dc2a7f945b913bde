"""Check that every official URL the Election Center links to still answers.

Election offices move pages mid-season; a dead "check your registration" link on election eve sends
people nowhere. Each URL is tried with HEAD, then GET when a server refuses HEAD; redirects are
followed; a 2xx or 3xx final answer is healthy. URLs are checked concurrently with a per-request
timeout, and each result is kept (`LinkCheck`) for the console.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, Iterable

USER_AGENT = "CivicShield-linkcheck/1.0 (+https://github.com/civicshield)"


@dataclass
class LinkResult:
    url: str
    ok: bool
    status: int | None = None
    error: str = ""
    used_by: list[str] = field(default_factory=list)


def check_url(url: str, timeout: float = 10.0) -> LinkResult:
    last_error = ""
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http/https only)
                return LinkResult(url, 200 <= response.status < 400, response.status)
        except urllib.error.HTTPError as exc:
            if method == "HEAD" and exc.code in (403, 405, 501):
                continue
            return LinkResult(url, False, exc.code, exc.reason if isinstance(exc.reason, str) else "")
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
            last_error = str(getattr(exc, "reason", exc))[:300]
            break
    return LinkResult(url, False, None, last_error or "no answer")


def check_urls(
    urls: dict[str, list[str]],
    timeout: float = 10.0,
    workers: int = 8,
    progress: Callable[[LinkResult], None] | None = None,
) -> list[LinkResult]:
    """`urls`: URL -> where it is used. Only http(s) URLs are fetched."""
    results: list[LinkResult] = []

    def one(url: str) -> LinkResult:
        if not url.startswith(("http://", "https://")):
            return LinkResult(url, False, None, "not an http(s) URL")
        return check_url(url, timeout)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for result in pool.map(one, sorted(urls)):
            result.used_by = sorted(urls[result.url])
            results.append(result)
            if progress:
                progress(result)
    return results


def official_urls(
    facts: Iterable[tuple[str, str, object]], extra: Iterable[tuple[str, str]] = ()
) -> dict[str, list[str]]:
    """Collect URLs from (region, field, value) facts and (url, where) pairs."""
    found: dict[str, list[str]] = {}
    for region, name, value in facts:
        url = value.get("url") if isinstance(value, dict) else value
        if isinstance(url, str) and url.startswith(("http://", "https://")):
            found.setdefault(url, []).append(f"{region}.{name}")
    for url, where in extra:
        if url:
            found.setdefault(url, []).append(where)
    return found
