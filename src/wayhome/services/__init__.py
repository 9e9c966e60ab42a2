"""Use cases of wayhome: each validates, writes in one transaction and audits. Web and CLI call only these."""
