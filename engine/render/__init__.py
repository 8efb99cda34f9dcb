"""From the checked référentiel to files: the Markdown pages and their addresses, the safe rendering of contributor
text, the drawings, the feed, the open data, the JSON Schemas, the PDFs, the form to propose an entry."""
