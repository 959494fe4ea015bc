"""Rendering: the answers in words (Jinja2 templates per language, sandboxed), the plain-text
tables of the scriptable commands, and the one place figures, money and durations are written.
The core below never imports this package; every face renders through it."""
