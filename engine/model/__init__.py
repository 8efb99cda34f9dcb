"""The formats: the models of every kind of entry and shared file, the walker of their annotations, and the French they
are written in."""
