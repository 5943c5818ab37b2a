"""Benchmarks (README: Performance); helpers they share."""


def signed_in_as(role: str) -> None:
    """Inside a request context: the reader of the views a benchmark renders. Each page checks
    its reader (auth.page_access), so a view rendered for nobody would time its refusal."""
    from flask_login import login_user

    from web import auth

    login_user(auth.User(0, f"bench-{role}", role, None, None))
