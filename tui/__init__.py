"""The Textual chat app (`advisor` with no arguments)."""
