"""Untangle's NLU code: the spaCy pipeline builder and custom Rasa graph components."""
