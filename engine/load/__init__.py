"""Reading what the référentiel is made of, safely: YAML files with the position of every value, the problems found,
and git (edition tags, the files of a revision, the history of each file)."""
