"""The shell: layout and base templates, navigation by role, each role's home page, error pages,
static files (front-end libraries vendored from npm).

May import every app below it; only config imports web.
"""
