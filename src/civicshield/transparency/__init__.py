"""Transparency: enforcement reports, DSA statements of reasons and the public Transparency Center."""
