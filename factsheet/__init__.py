"""The Laoshan fact sheet generator: content/ (YAML, Markdown) → site/ (static HTML)."""
