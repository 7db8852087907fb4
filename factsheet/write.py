"""Stage 5 (stub)."""
def write_site(pages, out_dir):
    pass
