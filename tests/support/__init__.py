"""Helpers the tests share (not tests themselves): import them from here, never from a test module or a conftest."""
