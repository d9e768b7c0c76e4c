"""Thin Slack listeners: ack, parse, call one domain or FAQ function, render Block Kit."""
