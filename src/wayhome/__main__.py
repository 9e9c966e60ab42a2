"""`python -m wayhome` runs the command line."""

from wayhome.cli.main import app

app()
