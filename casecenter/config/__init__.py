"""Settings (from the environment only), the URL tables of the pages and the API that wire every
app together, WSGI/ASGI, and the ``casecenter`` command.

The top of the order: it may import every app, and no app imports it.
"""
