from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from verksam.search.services import rebuild_index


class Command(BaseCommand):
    help = "Index every assignment, action and indicator for search again (after bulk changes)."

    def handle(self, *args, **options) -> None:
        count = rebuild_index()
        self.stdout.write(
            ngettext("%(count)s search document", "%(count)s search documents", count)
            % {"count": count}
        )
