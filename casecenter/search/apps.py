from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "casecenter.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self):
        from casecenter.core.pickers import register_search_keys
        from casecenter.ledger import describe

        from . import admin  # noqa: F401  (the dictionary's page on the project's admin site)
        from .text import label_keys

        register_search_keys(label_keys)  # the forms' pickers find an option by its pinyin too

        describe.register({
            "search.term.added": _("{actor} added “{word}” to the search dictionary"),
            "search.term.removed": _("{actor} removed “{word}” from the search dictionary"),
            "search.index.rebuild_started": _("{actor} started a rebuild of the search index"),
        })
