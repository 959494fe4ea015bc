"""Hostile inputs: files and arguments built to break the advisor, each refused cleanly."""
