"""`python -m corroborate` runs the CLI."""

from corroborate.cli.main import main

main()
