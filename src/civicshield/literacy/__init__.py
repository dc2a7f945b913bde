"""Media-literacy campaigns: search interventions, banners, share prompts and interstitials."""
