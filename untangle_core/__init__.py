"""Untangle's dialogue components (Rasa policies), named in config.yml."""
