"""From the pages to the site: MkDocs in strict mode, the search (Pagefind; Material's, made accent-insensitive,
offline), the atomic swap of `site/`, the offline archive."""
