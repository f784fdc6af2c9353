"""Untangle's custom actions, loaded by `rasa run actions` (the package is `actions`)."""
