"""Publishing an edition beside the previous ones (mike, branch gh-pages)."""
