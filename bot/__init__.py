"""helpbot: a Slack bot answering SMB-app troubleshooting questions and running admin actions."""
