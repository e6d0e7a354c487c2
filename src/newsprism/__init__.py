"""newsprism: one story, split into its outlets."""

__version__ = "0.1.0"
