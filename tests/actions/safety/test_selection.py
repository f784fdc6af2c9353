"""Which lines, in which order, for each country and danger category (../shared/safety/crisis-lines.md)."""

import pytest

from actions.safety.selection import RULES, normalise_country, select_lines
from actions.safety.table import load_crisis_lines

COUNTRIES = ("US", "GB", "CA", "AU", "IE", "NZ")
CATEGORIES = (*RULES, "unspecified")  # every category the line rules know, and none


@pytest.fixture(scope="module")
def table():
    return load_crisis_lines()


def ids(selection):
    return [line.id for line in selection.lines]


@pytest.mark.parametrize("country", COUNTRIES)
@pytest.mark.parametrize("category", CATEGORIES)
def test_every_country_and_category_gets_lines_to_call_and_a_way_to_text_or_chat(table, country, category):
    selection = select_lines(table, country, [category])
    assert selection.country == country
    assert any(line.phone for line in selection.lines)
    assert any(line.can_text_or_chat or "directory" in line.categories for line in selection.lines)
    assert any("emergency" in line.categories for line in selection.lines)
    assert len(ids(selection)) == len(set(ids(selection)))


@pytest.mark.parametrize("country", COUNTRIES)
def test_immediate_danger_puts_the_emergency_number_first_then_the_abuse_line(table, country):
    selection = select_lines(table, country, ["immediate_danger"])
    assert ids(selection)[0] == f"{country.lower()}-emergency"
    assert "partner_abuse" in selection.lines[1].categories


@pytest.mark.parametrize(
    "country, first, second",
    [
        ("US", "us-988", "us-crisis-text-line"),
        ("GB", "gb-samaritans", "gb-shout"),
        ("CA", "ca-988", None),
        ("AU", "au-lifeline", None),
        ("IE", "ie-samaritans", None),
        ("NZ", "nz-1737", None),
    ],
)
def test_self_harm_puts_the_suicide_line_first_and_the_text_line_next(table, country, first, second):
    selection = ids(select_lines(table, country, ["self_harm"]))
    assert selection[0] == first
    if second:
        assert selection[1] == second


@pytest.mark.parametrize("category", ["violence", "threats"])
@pytest.mark.parametrize(
    "country, abuse_line",
    [
        ("US", "us-ndvh"),
        ("GB", "gb-refuge"),
        ("CA", "ca-sheltersafe"),
        ("AU", "au-1800respect"),
        ("IE", "ie-womens-aid"),
        ("NZ", "nz-womens-refuge"),
    ],
)
def test_violence_and_threats_put_the_abuse_line_first(table, category, country, abuse_line):
    assert ids(select_lines(table, country, [category]))[0] == abuse_line


@pytest.mark.parametrize("country, first", [("US", "us-rainn"), ("AU", "au-1800respect"), ("GB", "gb-refuge")])
def test_sexual_violence_puts_the_specialist_line_first(table, country, first):
    assert ids(select_lines(table, country, ["sexual_violence"]))[0] == first


@pytest.mark.parametrize(
    "country, child_lines",
    [
        ("US", ["us-childhelp"]),
        ("GB", ["gb-nspcc", "gb-childline"]),
        ("CA", ["ca-kids-help-phone"]),
        ("AU", ["au-kids-helpline"]),
        ("IE", []),
        ("NZ", []),
    ],
)
def test_a_child_at_risk_gets_the_child_line_and_the_emergency_number(table, country, child_lines):
    selection = ids(select_lines(table, country, ["child_at_risk"]))
    assert selection[: len(child_lines)] == child_lines
    assert f"{country.lower()}-emergency" in selection


def test_several_categories_give_the_lines_of_each_most_urgent_first(table):
    selection = ids(select_lines(table, "US", ["immediate_danger", "self_harm"]))
    assert selection[:4] == ["us-emergency", "us-ndvh", "us-988", "us-crisis-text-line"]


@pytest.mark.parametrize("country", [None, "", "FR", "XX", "not a country"])
def test_an_unknown_country_gets_the_international_lines_and_no_guess(table, country):
    selection = select_lines(table, country, ["violence"])
    assert selection.country is None and not selection.country_known
    assert ids(selection) == ["any-emergency", "any-find-a-helpline"]


@pytest.mark.parametrize(
    "value, code",
    [
        ("gb", "GB"),
        ("UK", "GB"),
        (" us ", "US"),
        ("usa", "US"),
        ("AU", "AU"),
        (None, None),
        ("Australia", None),
        (42, None),
    ],
)
def test_country_codes_are_normalised(value, code):
    assert normalise_country(value) == code
