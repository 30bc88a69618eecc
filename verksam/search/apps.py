from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _

from verksam.core.bulk import rows_created


class SearchConfig(AppConfig):
    name = "verksam.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        """Keep the index current: every save of a searchable item (by the loader, the admin
        or a service) updates its document, and so does each row a service creates in bulk
        (`core.bulk.create_with_history`). Deleting an item deletes its document through
        their one-to-one link, so deletions need no receiver."""
        # The services read the models, which exist only once the app registry is ready.
        from verksam.search.services import SOURCES, index_created, index_saved

        for source in SOURCES:
            post_save.connect(
                index_saved, sender=source.model, dispatch_uid=f"search-{source.kind}"
            )
            rows_created.connect(
                index_created, sender=source.model, dispatch_uid=f"search-bulk-{source.kind}"
            )
