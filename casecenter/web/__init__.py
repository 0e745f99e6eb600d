"""The shell: layout and base templates, navigation by role, each role's home page, error pages,
static files (front-end libraries vendored from npm), and the processes that serve it:
``casecenter serve`` (gunicorn) and ``casecenter run`` (the web server and the worker together).

May import every app below it; only config imports web.
"""
