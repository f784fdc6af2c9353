"""What the channels themselves say when Rasa cannot answer (kept short; never a diagnosis)."""

EMERGENCY_NUMBERS = "911 (US, Canada), 999 (UK), 000 (Australia), 111 (New Zealand), 112 (Ireland, most of Europe)"

# A turn that should have been answered produced nothing (e.g. the action server is down).
TROUBLE_REPLY = (
    "I'm sorry, I'm having trouble answering right now. Please try again in a moment. "
    f"If you're in danger, please call your emergency number: {EMERGENCY_NUMBERS}."
)

# A message over the channel's hard cap: the same words as domain.yml's utter_message_too_long (the image serves
# without domain.yml, so the text is written here too; tests/test_one_wording.py keeps them equal).
TOO_LONG_REPLY = (
    "Thank you for writing all of that. It's a bit too long for me to take in at once. Could you send a shorter "
    'message, or just the part that matters most to you right now? If you feel unsafe, type "help".'
)

# A socket.io payload the channel could not read (wrong shape or type, or empty).
UNREADABLE_REPLY = "Sorry, I couldn't read that message. Could you type it again?"

# More messages from one conversation than are allowed to wait at once (sender_limit.py).
BUSY_REPLY = "I'm still answering your earlier messages. Please give me a moment before sending more."
