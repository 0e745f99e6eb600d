from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "casecenter.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self):
        from casecenter.ledger import describe

        from . import admin  # noqa: F401  (the dictionary's page on the project's admin site)

        describe.register({
            "search.term.added": _("{actor} added “{word}” to the search dictionary"),
            "search.term.removed": _("{actor} removed “{word}” from the search dictionary"),
            "search.index.rebuild_started": _("{actor} started a rebuild of the search index"),
        })
