"""Hypothesis strategies for what a careless or hostile client might send to the channels."""

from __future__ import annotations

import json

from hypothesis import strategies as st

from untangle_server.channels.input_checks import MAX_MESSAGE_CHARS

MISSING = object()  # a key left out of the body
WHITESPACE = " \t\n\r\u00a0\u2003\u3000\u200b\ufeff"
HTML = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "</textarea><b>hi</b>",
    "javascript:alert(1)",
    "<!--",
    "&lt;&amp;&#0;",
    "{{7*7}}",
    "${jndi:ldap://x/a}",
    "'; DROP TABLE events; --",
    "\\u0000",
    "%00",
]
# Rasa reads a message starting with "/" as an intent (and entities); these are odd ones.
INTENT_LIKE = [
    "/",
    "/restart",
    "/danger",
    "/help_now@0.1",
    '/greet{"x": [',
    '/go_to_step{"step": 5}',
    '/go_to_step{"step": "no_such_step"}',
    '/inform_country{"country": ["GB"]}',
    "/no_such_intent",
    '/affirm{"guide_step": "stages"}',
    "/" + "a" * 300,
]
LENGTHS = [1999, 2000, 2001, 4000, MAX_MESSAGE_CHARS, MAX_MESSAGE_CHARS + 1, 100_000]

emoji = st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF)
# emoji of several code points: heart with variation selector, family (zero-width joiners), flag, skin tone
emoji_sequence = st.sampled_from(["\u2764\ufe0f", "👩\u200d👩\u200d👧", "🏳\ufe0f\u200d🌈", "👍🏽"])
right_to_left = st.characters(min_codepoint=0x0590, max_codepoint=0x06FF) | st.sampled_from("\u200f\u202b\u202e\u2067")
control = st.characters(min_codepoint=0, max_codepoint=0x1F) | st.characters(min_codepoint=0x7F, max_codepoint=0x9F)
lone_surrogate = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
text_piece = st.one_of(
    st.text(max_size=40),  # any Unicode but surrogates
    st.text(emoji, min_size=1, max_size=12),
    emoji_sequence,
    st.text(right_to_left, min_size=1, max_size=30),
    st.text(control, min_size=1, max_size=8),
    st.text(lone_surrogate, min_size=1, max_size=3),
    st.text(WHITESPACE, min_size=1, max_size=8),
    st.sampled_from(HTML),
    st.sampled_from(["hello", "i feel so alone", "he hurt me", "what is gaslighting", "stage 3", "help"]),
)


def long_text(lengths):
    """One piece repeated to a length: English-like text, emoji, or punctuation (slow to tokenise)."""
    return st.tuples(st.sampled_from(lengths), st.sampled_from(["a ", "I miss him. ", "🙂", "!?", "ש", "x"])).map(
        lambda spec: (spec[1] * (spec[0] // len(spec[1]) + 1))[: spec[0]]
    )


def message_text(lengths=LENGTHS):
    return st.one_of(
        st.just(""),
        st.lists(text_piece, min_size=1, max_size=5).map("".join),
        st.sampled_from(INTENT_LIKE),
        long_text(lengths),
    )


json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)
good_sender = st.uuids().map(lambda u: f"fuzz-{u}") | st.just("fuzz-one-sender")  # the latter: one conversation
sender = st.one_of(
    good_sender,
    st.just(MISSING),
    st.just(""),
    st.text(WHITESPACE, min_size=1, max_size=4),
    st.text(max_size=40),
    st.text(control, min_size=1, max_size=4).map(lambda c: f"fuzz{c}"),
    st.just("s" * 129),
    st.just("default"),
    json_value.filter(lambda v: not isinstance(v, str)),
)
metadata = st.one_of(
    st.just(MISSING),
    st.none(),
    st.fixed_dictionaries({"country": st.text(max_size=4)}),
    st.dictionaries(st.text(max_size=8), json_value, max_size=3),
    json_value,
)
good_metadata = st.just(MISSING) | st.fixed_dictionaries({"country": st.sampled_from(["GB", "US", "AU", "", "ZZ"])})


@st.composite
def request_body(draw) -> dict:
    """Half well-formed (a good sender, odd text), half with each field present or not, right type or not."""
    if draw(st.booleans()):
        fields = {"sender": draw(good_sender), "message": draw(message_text()), "metadata": draw(good_metadata)}
    else:
        fields = {
            "sender": draw(sender),
            "message": draw(message_text() | json_value | st.just(MISSING)),
            "metadata": draw(metadata),
            "input_channel": draw(st.just(MISSING) | json_value),
        }
    return {key: value for key, value in fields.items() if value is not MISSING}


def encode(value) -> bytes:
    """JSON as a browser or a script would send it; lone surrogates become \\udXXX escapes."""
    return json.dumps(value).encode()


raw_body = st.one_of(
    st.binary(max_size=200),
    json_value.filter(lambda v: not isinstance(v, dict)).map(encode),  # valid JSON, wrong type
    st.tuples(request_body().map(encode), st.integers(0, 200)).map(lambda b: b[0][: min(b[1], len(b[0]) - 1)]),
    st.integers(100, 200_000).map(lambda n: b"[" * n),  # nested deeper than a parser allows
    st.integers(1, 50).map(lambda n: b'{"sender": "s", "message": "' + b"\xff\xfe" * n + b'"}'),  # not UTF-8
    st.just(b'{"sender": "s", "message": "' + b"a" * 300_000 + b'"}'),  # over the body cap
    st.just(b""),
    st.just(b"null"),
    st.just(b'{"sender": "s", "message": "hi"'),
)
content_type = st.sampled_from(
    [
        "application/json",
        "text/plain;charset=UTF-8",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/json; charset=latin-1",
        None,
    ]
)

# socket.io payloads: about half an object as a widget sends (odd text), the rest anything a client can emit. Texts
# of exactly the hard cap (seconds each to read) are left to the REST fuzz.
socket_text = message_text([2001, 4000, MAX_MESSAGE_CHARS + 1, 100_000])
widget_payload = st.fixed_dictionaries(
    {"message": socket_text}, optional={"metadata": good_metadata.filter(lambda m: m is not MISSING)}
)
odd_payload = st.one_of(
    st.fixed_dictionaries(
        {"message": socket_text},
        optional={
            "session_id": sender.filter(lambda s: s is not MISSING),
            "metadata": metadata.filter(lambda m: m is not MISSING) | st.text(max_size=20),
        },
    ),
    st.fixed_dictionaries({}, optional={"message": json_value, "metadata": json_value}),
    json_value.filter(lambda v: not isinstance(v, dict)),
    st.binary(max_size=50),
)
socketio_payload = st.integers(0, 3).flatmap(lambda pick: widget_payload if pick < 2 else odd_payload)
