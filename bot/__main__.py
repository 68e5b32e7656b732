"""`python -m bot` is the `tandem` command."""

from bot.cli import main

main()
