"""`python -m glossary.cli` is the same as `tamyr`."""

from glossary.cli import main

main()
