"""The emergency numbers written out in domain.yml's responses and in the channels' own replies agree with
actions/safety/crisis_lines.yml, the one table of record: change a number on one side only and a test here fails."""

from __future__ import annotations

import functools
import re
from typing import Dict, List, Set, Tuple

import pytest

from actions.safety.table import ANYWHERE, LINES_FILE, read_table_file
from tests.replies import response_variations
from untangle_server.channels import replies

TABLE = read_table_file(LINES_FILE)
COUNTRY_SLOTS = ("country", "widget_country")
CALL_LINK = re.compile(r"\[Call (\+?\d+)\]\(tel:(\+?\d+)\)")
# An emergency number as these texts write one: three digits standing alone (not 55, the silent-call code).
NUMBER = re.compile(r"(?<![\d+])\d{3}(?!\d)")


@functools.cache
def emergency_numbers() -> Dict[str, str]:
    """Country code (and ANY) -> the phone of its `emergency` line."""
    return {line.country: line.phone for line in TABLE["lines"] if "emergency" in line.categories}


def numbers_of(country: str) -> Set[str]:
    """Every number a country's lines (and the lines for anywhere) give: phones, texts, notes ("999 works too")."""
    found: Set[str] = set()
    for line in TABLE["lines"]:
        if line.country in (country, ANYWHERE):
            for field in (line.phone, line.text, line.sms_number, line.notes):
                found.update(re.findall(r"\d+", field or ""))
    return found


def place_names() -> Dict[str, str]:
    """How the texts name each place ("UK" for `GB: the UK`), with Europe for the lines that work anywhere."""
    names = {name.removeprefix("the "): code for code, name in TABLE["countries"].items()}
    return {**names, "Europe": ANYWHERE}


def condition_country(variation: dict) -> str:
    values = {c["value"] for c in variation.get("condition") or [] if c.get("name") in COUNTRY_SLOTS and c["value"]}
    assert len(values) <= 1, variation
    return values.pop() if values else ""


@functools.cache
def country_variations() -> List[Tuple[str, str, str]]:
    """(response, country, text) for every variation chosen by the person's country."""
    return [
        (name, condition_country(v), v["text"])
        for name, v in response_variations()
        if v.get("text") and condition_country(v)
    ]


def international_texts() -> List[Tuple[str, str]]:
    """(where, text) for the texts that name emergency numbers for several countries at once."""
    by_country = {name for name, _, _ in country_variations()}
    texts = [
        (name, v["text"])
        for name, v in response_variations()
        if v.get("text")
        and not condition_country(v)
        and (CALL_LINK.search(v["text"]) or name in by_country and NUMBER.search(v["text"]))
    ]
    return sorted(set(texts)) + [("replies.EMERGENCY_NUMBERS", replies.EMERGENCY_NUMBERS)]


def paired_numbers(text: str) -> List[Tuple[str, str]]:
    """(place name, number) as the text pairs them: "112 (Ireland, most of Europe)", "999 in the UK",
    "In the UK it's 999", "Australia 000"."""
    names = "|".join(sorted(map(re.escape, place_names()), key=len, reverse=True))
    plain = CALL_LINK.sub(lambda m: m.group(1), text)
    pairs = []
    listed = re.compile(r"(\d{3})\s*\(([^)\d]*)\)")  # the places in brackets after a number (no number inside)
    for number, inside in listed.findall(plain):
        pairs += [(name, number) for name in re.findall(names, inside)]
    rest = listed.sub(" ", plain)
    pairs += [(name, number) for number, name in re.findall(rf"(\d{{3}}) in (?:the )?({names})\b", rest)]
    pairs += [(name, number) for name, number in re.findall(rf"\b({names})(?: it's| it is)? (\d{{3}})", rest)]
    return pairs


def test_the_table_has_one_emergency_number_for_each_country_and_for_anywhere():
    numbers = emergency_numbers()
    assert set(numbers) == set(TABLE["countries"]) | {ANYWHERE}
    assert all(re.fullmatch(r"\d{3}", number) for number in numbers.values()), numbers


@pytest.mark.parametrize("name, country, text", country_variations(), ids=lambda v: v if len(v) < 40 else "text")
def test_a_countrys_call_button_is_its_emergency_number(name, country, text):
    for label, tel in CALL_LINK.findall(text):
        assert label == tel, f"{name} ({country}): the button says {label} but dials {tel}"
        assert tel == emergency_numbers()[country], (
            f"{name} ({country}) calls {tel}; crisis_lines.yml says {emergency_numbers()[country]}"
        )


@pytest.mark.parametrize("name, country, text", country_variations(), ids=lambda v: v if len(v) < 40 else "text")
def test_every_number_in_a_countrys_text_is_one_of_its_lines(name, country, text):
    unknown = set(NUMBER.findall(text)) - numbers_of(country)
    assert not unknown, f"{name} ({country}) gives {unknown}, which no {country} line in crisis_lines.yml has"


def test_the_responses_with_country_variations_cover_every_country():
    covered: Dict[str, Set[str]] = {}
    for name, country, _ in country_variations():
        covered.setdefault(name, set()).add(country)
    assert covered, "no response is chosen by country"
    for name, countries in covered.items():
        assert countries == set(TABLE["countries"]), f"{name} has variations for {sorted(countries)}"


@pytest.mark.parametrize("where, text", international_texts(), ids=lambda v: v if len(v) < 40 else "text")
def test_each_place_named_with_a_number_gets_its_own(where, text):
    numbers, places = emergency_numbers(), place_names()
    pairs = paired_numbers(text)
    assert pairs, f"{where} names no place with a number: {text}"
    wrong = [(name, number) for name, number in pairs if numbers[places[name]] != number]
    assert not wrong, f"{where}: {wrong}, but crisis_lines.yml says " + ", ".join(
        f"{name} {numbers[places[name]]}" for name, _ in wrong
    )
    unpaired = set(NUMBER.findall(text)) - {number for _, number in pairs}
    assert unpaired <= set(numbers.values()), f"{where} gives {unpaired - set(numbers.values())}: nowhere's number"
