"""No reply the assistant can send diagnoses or labels anyone (domain responses and text in actions)."""

import re
from pathlib import Path

import pytest
import yaml

from tests.replies import everything_sendable

PATTERNS_FILE = Path(__file__).with_name("diagnostic_patterns.yml")
TABLE = yaml.safe_load(PATTERNS_FILE.read_text(encoding="utf-8"))
PATTERNS = [re.compile(entry["regex"], re.IGNORECASE) for entry in TABLE["patterns"]]


def diagnostic_statements(text: str):
    return [pattern.pattern for pattern in PATTERNS if pattern.search(text)]


@pytest.mark.parametrize("entry", TABLE["patterns"], ids=lambda entry: entry["examples"][0])
def test_each_pattern_catches_its_examples(entry):
    pattern = re.compile(entry["regex"], re.IGNORECASE)
    for example in entry["examples"]:
        assert pattern.search(example), f"{entry['regex']!r} misses {example!r}"


@pytest.mark.parametrize("text", TABLE["allowed"])
def test_allowed_wording_is_not_flagged(text):
    assert diagnostic_statements(text) == []


def test_the_scan_reads_replies_from_the_domain_and_the_actions():
    sources = {source for source, _ in everything_sendable()}
    assert any(source.startswith("utter_") for source in sources)
    assert any(source.startswith("actions/") for source in sources)


def test_no_sendable_text_is_a_diagnostic_statement():
    offending = [(source, text) for source, text in everything_sendable() if diagnostic_statements(text)]
    assert offending == []
