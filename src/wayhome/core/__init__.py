"""Domain types, vocabularies and errors: pure Python, no I/O, imports nothing else of wayhome."""
