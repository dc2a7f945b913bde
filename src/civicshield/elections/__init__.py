"""Election Centers, the election calendar, VIP and partner feeds, and the election detectors."""
