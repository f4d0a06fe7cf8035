"""Reusable widgets; none of them touches storage."""
