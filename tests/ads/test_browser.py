"""An ads reviewer walks a borderline ad through review in a real browser; the public finds it after."""

from __future__ import annotations

import re

import pytest

from civicshield.decisions.models import Decision
from tests.ads.test_review import BORDERLINE
from tests.conftest import ev_account, ev_ad

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ads_reviewer_rejects_a_borderline_ad_and_it_reaches_the_public_library(ingest, logged_in_page,
                                                                                  live_server, browser):
    ingest([ev_account("studio-9", display_name="Riverside Films"),
            ev_ad("ad-doc-9", advertiser="studio-9", regions=["US-OR"],
                  text=BORDERLINE)])
    page, reviewer = logged_in_page("ads_reviewer")
    page.get_by_role("link", name="Ad review").click()
    page.wait_for_url(f"{live_server.url}/console/ads/")
    page.get_by_test_id("ads-cases").get_by_role("link").first.click()
    page.wait_for_url(re.compile(r".*/console/ads/cases/\d+/$"))
    assert "keep its hospital open" in page.get_by_test_id("ad-text").inner_text()
    # what triggered the hold, in words an advertiser can read
    assert "Political-content score" in page.get_by_test_id("explanation").inner_text()
    page.get_by_role("button", name="Claim this case").click()
    page.wait_for_selector("text=Claimed")
    page.get_by_label("Reject as political").check()
    page.get_by_label("Reason code").select_option("issue_advocacy")
    page.get_by_label("Note to the advertiser").fill("Advocacy on hospital closures is not allowed in ads.")
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_selector("text=Decided:")
    row = Decision.objects.get(subject_key="ad:ad-doc-9", action="reject_ad")
    assert row.actor_type == "user" and row.actor_id == reviewer.username
    assert row.rule_id == "ads.review.issue_advocacy"

    public = browser.new_context().new_page()  # a member of the public, not logged in
    public.goto(f"{live_server.url}/ads/library/")
    public.get_by_test_id("library-q").fill("documentary")
    public.get_by_role("button", name="Search").click()
    public.wait_for_url(re.compile(r".*q=documentary.*"))
    table = public.get_by_test_id("library").inner_text()
    assert "Riverside Films" in table and "issue_advocacy" in table and "US-OR" in table
    assert public.get_by_test_id("library-total").inner_text() == "1"
    with public.expect_download() as download:
        public.get_by_test_id("library-csv").click()
    assert "ad-doc-9" in open(download.value.path(), encoding="utf-8").read()
    public.context.close()
