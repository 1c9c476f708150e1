"""newsframes: narrative frame and stance analysis for news corpora."""

__version__ = "0.1.0"
