"""Safety: the crisis line table, which lines to show, and the referral action (docs/safety.md)."""
