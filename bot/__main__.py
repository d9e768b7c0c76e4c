"""`python -m bot` runs the `helpbot` command line."""

from bot.cli import main

raise SystemExit(main())
