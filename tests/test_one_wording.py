"""One wording for "your message is too long", whoever says it: domain.yml's utter_message_too_long (a message over
the NLU's length limit), the channels' reply for one over their hard cap, and the widget's own text for a 413."""

from __future__ import annotations

import json
import re

from tests.replies import ROOT, domain
from untangle_server.channels.replies import TOO_LONG_REPLY

WIDGET = ROOT / "web" / "widget" / "untangle.js"


def domain_wording() -> str:
    (variation,) = domain()["responses"]["utter_message_too_long"]
    return variation["text"]


def widget_wording() -> str:
    literal = re.search(r'^\s*tooLong:\s*("(?:[^"\\]|\\.)*")', WIDGET.read_text(encoding="utf-8"), re.M)
    assert literal, f"no tooLong text in {WIDGET}"
    return json.loads(literal.group(1))


def test_the_channels_say_what_the_domain_says():
    assert TOO_LONG_REPLY == domain_wording()


def test_the_widget_says_what_the_domain_says():
    assert widget_wording() == domain_wording()
