from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "casecenter.people"
    label = "people"
    verbose_name = _("People")

    def ready(self):
        from casecenter.ledger import describe as ledger_describe

        from . import documents

        documents.register_kind()
        ledger_describe.register({
            "people.person.created": _("{actor} registered {name}"),
            "people.person.updated": _("{actor} changed the entry of {subject}"),
            "people.document.added": _("{actor} added the {kind} {number} to {subject}"),
            "people.person.merged": _("{actor} merged {merged_name} into {survivor_name}: {reason}"),
            "people.person.unmerged": _("{actor} undid the merge of {subject}"),
            "people.person.photo_changed": _("{actor} stored a new photo of {subject} ({width}×{height})"),
            "people.person.photo_removed": _("{actor} removed the photo of {subject}: {reason}"),
        })
