"""Stage 4 (stub)."""
def render_site(linked, templates_dir, locale_dir, base_url):
    return {}, []
