"""The conversation pipeline shared by the terminal chat and the Slack app."""

from __future__ import annotations

from dataclasses import dataclass

from faq import Entry, Match, Outcome

SMALLTALK_REPLIES = {
    "greeting": "Hi! Ask me anything about user management in the SMB app: passwords, "
    "invitations, technicians.",
    "thanks": "You're welcome! Ask me again any time.",
    "ack": "👍",
    "bye": "Bye! I'm here if you need me.",
}
FALLBACK_TEXT = (
    "Sorry, I don't know the answer to that one. I only know about user management in the "
    "SMB app (passwords, invitations, technicians)."
)
CLARIFY_TEXT = "I'm not sure which of these you mean. Did you mean…"


def fallback_text(pointer: str | None = None) -> str:
    """The fallback, followed by where to go instead when the KB knows it (an out-of-scope topic's
    `pointer`)."""
    return f"{FALLBACK_TEXT}\n{pointer}" if pointer else FALLBACK_TEXT


@dataclass(frozen=True)
class Reply:
    """What to say back to a message: the matcher's verdict and the text to show."""

    match: Match
    text: str

    @property
    def outcome(self) -> Outcome:
        """answer, clarify, fallback or smalltalk."""
        return self.match.outcome

    @property
    def choices(self) -> tuple[Entry, ...]:
        """For clarify: the entries to offer, best first."""
        return tuple(choice.entry for choice in self.match.choices)


def reply_to(match: Match) -> Reply:
    """The reply for a matcher verdict (the Slack app renders the same reply as Block Kit)."""
    if match.outcome is Outcome.ANSWER and match.entry is not None:
        return Reply(match, match.entry.answer)
    if match.outcome is Outcome.CLARIFY:
        return Reply(match, CLARIFY_TEXT)
    if match.outcome is Outcome.SMALLTALK:
        return Reply(match, SMALLTALK_REPLIES.get(match.smalltalk or "", SMALLTALK_REPLIES["ack"]))
    return Reply(match, fallback_text(match.pointer))
