"""The shared archive checks (tests/test_archive.py) run again against PostgreSQL.

The same test functions, imported; only the ``archive`` fixture differs: a fresh schema on the real
server ``pg_server.py`` starts. Left out are the checks of SQLite's own machinery (files, PRAGMAs,
its disk-full simulation, its ranking window); PostgreSQL's counterparts are in test_postgres_archive.py.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from broadsheet import Archive
from test_archive import (  # noqa: F401 - fixtures and tests collected again here
    filled,
    pages,
    test_a_batch_is_decided_as_its_records_one_by_one,
    test_a_changed_article_at_the_same_url_becomes_a_new_version,
    test_a_rewritten_version_leaves_its_story_cluster,
    test_add_and_summary_fields,
    test_added_since_selects_what_a_later_run_stored,
    test_date_author_section_filters_and_listings,
    test_every_input_is_an_article_or_a_counted_rejection,
    test_export_filters_and_versions,
    test_export_round_trip,
    test_get_by_id_and_url_and_stored_input,
    test_hostile_queries_are_words_not_syntax,
    test_ingesting_the_same_inputs_twice_adds_nothing,
    test_lone_surrogates_in_json_input_are_stored_replaced,
    test_phrase_prefix_or_and_exclusion_search,
    test_readonly_archive_refuses_writes,
    test_search_ranks_snippets_and_filters,
)

pytestmark = pytest.mark.postgres


@pytest.fixture
def archive(pg_url: str) -> Iterator[Archive]:
    with Archive(pg_url) as a:
        yield a
