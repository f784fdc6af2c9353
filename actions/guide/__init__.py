"""The guided path through trauma bonding: a table of steps and the actions that move along it."""
