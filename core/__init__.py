"""Campaign Studio's engine: everything the screens and the CLI call. Never imports Streamlit."""
