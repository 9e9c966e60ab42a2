"""wayhome: an information system for displaced communities and the organisations that serve them."""

__version__ = "0.1.0"
