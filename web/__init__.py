"""The web side: sign-in and access (auth, passwords), the view cache, present mode, the open-data
API and the exports."""
