"""The `wayhome` command line (Typer): one module per command group."""
