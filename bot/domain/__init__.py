"""The shared domain module: team directory, roles, invitations, resets, authorisation, audit."""
