"""'Ask a human': the question, who asked and a permalink go to HELPBOT_SUPPORT_CHANNEL."""

from __future__ import annotations

import json
import logging

from slack_sdk.errors import SlackApiError

from handlers.kit import SlackServices, reply_privately
from handlers.render.answers import support_post
from handlers.render.text import channel_link

log = logging.getLogger(__name__)

DONE = "I've passed your question to the support team; someone will get back to you here."
NOT_SENT = (
    "I couldn't reach the support team just now, so your question was not passed on. "
    "Please press *Ask a human* again in a minute."
)


def handler(services: SlackServices):
    def ask_human(action, body, client, context, respond):
        try:
            value = json.loads(action.get("value") or "{}")
        except ValueError:
            value = {}
        if not isinstance(value, dict) or not isinstance(value.get("q", ""), str):
            return
        user_id = body["user"]["id"]
        channel, ts = str(value.get("c") or ""), str(value.get("ts") or "")
        claim = f"ask_human:{user_id}:{channel}:{ts or action.get('action_ts')}"
        if not services.domain.claim_delivery(claim):
            reply_privately(body, client, context, respond, {"text": DONE})
            return
        permalink = None
        if channel and ts:
            try:
                permalink = client.chat_getPermalink(channel=channel, message_ts=ts)["permalink"]
            except SlackApiError:
                permalink = None
        where = channel_link(channel)  # never markup built from the button's value
        post = support_post(
            value.get("q", ""), user_id, permalink, where, cut=bool(value.get("cut"))
        )
        try:
            client.chat_postMessage(channel=services.settings.support_channel, **post)
        except Exception:
            # Nothing was posted: free the claim so that the next press posts it.
            services.domain.release_delivery(claim)
            log.warning("could not post a question to the support channel", exc_info=True)
            reply_privately(body, client, context, respond, {"text": NOT_SENT})
            return
        if body.get("response_url"):
            respond(text=DONE, replace_original=True)
        else:
            reply_privately(body, client, context, respond, {"text": DONE})

    return ask_human
