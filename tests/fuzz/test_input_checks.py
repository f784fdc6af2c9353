"""The channels' input checks on generated values: a cleaned message or an InputError, nothing else."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fuzz.strategies import json_value, message_text, sender
from untangle_server.channels.input_checks import (
    CONTROL_CHARACTERS,
    MAX_MESSAGE_CHARS,
    RUN_CHARS,
    InputError,
    check_message,
    check_sender,
    read_json_object,
)
from untangle_server.channels.sender_limit import PendingMessages


@settings(max_examples=300, deadline=None)
@given(value=message_text() | json_value)
def test_a_message_is_cleaned_or_refused_with_a_clear_error(value):
    try:
        text = check_message(value)
    except InputError as error:
        assert error.status in (400, 413) and error.as_json()["message"]
        return
    assert text.strip() and len(text) <= MAX_MESSAGE_CHARS * (RUN_CHARS + 1) // RUN_CHARS
    assert not CONTROL_CHARACTERS.search(text)
    text.encode("utf-8")  # no lone surrogate left for spaCy to choke on
    assert max(len(run) for run in text.split()) <= RUN_CHARS


@settings(max_examples=200, deadline=None)
@given(value=sender)
def test_a_sender_is_kept_as_sent_or_refused(value):
    try:
        assert check_sender(value) == value
    except InputError as error:
        assert error.status == 400 and error.code in ("missing_sender", "invalid_sender")


@pytest.mark.parametrize("body", [b"[]", b'"x"', b"5", b"null", b"[" * 100_000, b"\xff", b"", b'{"a": 1'])
def test_a_body_that_is_not_a_json_object_is_a_400(body):
    with pytest.raises(InputError) as refused:
        read_json_object(body)
    assert refused.value.status == 400


def test_a_body_over_the_cap_is_a_413():
    with pytest.raises(InputError) as refused:
        read_json_object(b'{"message": "' + b"a" * 300_000 + b'"}')
    assert refused.value.status == 413


def test_a_message_over_the_hard_cap_is_a_413_and_names_the_limit():
    with pytest.raises(InputError) as refused:
        check_message("a" * (MAX_MESSAGE_CHARS + 1))
    assert refused.value.status == 413 and refused.value.as_json()["max_chars"] == MAX_MESSAGE_CHARS


def test_one_sender_gets_a_429_past_the_limit_and_is_admitted_again_after():
    pending = PendingMessages(limit=2)
    with pending.admit("a"), pending.admit("a"), pending.admit("b"):
        with pytest.raises(InputError) as refused:
            with pending.admit("a"):
                pass
        assert refused.value.status == 429
    with pending.admit("a"):
        assert len(pending) == 1
    assert len(pending) == 0


@given(
    st.text(st.characters(categories=["L", "N", "P", "S", "Zs"]), max_size=RUN_CHARS).filter(
        lambda text: any(c.isalnum() for c in text)
    )
)
def test_ordinary_text_passes_unchanged(text):
    assert check_message(text) == text
