"""The hostile corpus: broken or hostile input files and what `check` must say about each."""
