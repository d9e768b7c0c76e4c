"""Block Kit rendering: plain functions from domain results and FAQ entries to Slack payloads.

Nothing here calls Slack or the domain; every string that came from a person is escaped.
"""
