"""Untangle's input channels: Rasa's REST and socket.io channels with their input checked first.

Registered in credentials.yml by module path; they keep Rasa's names ("rest", "socketio"), so the URLs stay
/webhooks/rest/webhook and /socket.io.
"""
