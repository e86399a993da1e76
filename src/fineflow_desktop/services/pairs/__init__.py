"""Pairs (examples) of datasets: the API the pair editor, its undo commands, import and the
CLI use (import from here).

Modules: ``review`` (queries and mutations of the pair editor; mutations return what undo
needs), ``sql`` (filters and sort keys as SQL over the ``pair_keys`` table), ``bulk`` (bulk
inserts, token counts, review index upkeep), ``scoring`` (pair quality over a dataset).
"""

from fineflow_desktop.services.pairs.bulk import INSERT_FIELDS, chat_tokens_many, ensure_review_index, insert_pairs
from fineflow_desktop.services.pairs.review import (
    CONTENT_FIELDS,
    EDITABLE_FIELDS,
    SOURCES,
    TEXT_FIELDS,
    PairNotFound,
    add_tag,
    check_messages,
    count_pairs,
    delete_pairs,
    duplicates_of,
    fetch_pairs,
    filter_options,
    get_pair,
    pair_messages,
    query_pair_ids,
    query_pair_ids_np,
    remove_tag,
    restore_pairs,
    restore_rejected,
    restore_validated,
    set_rejected,
    set_tags,
    set_validated,
    snapshot_pairs,
    token_limit_for,
    update_pair,
)
from fineflow_desktop.services.pairs.scoring import (
    SCORE_REASONS,
    ensure_scores,
    refresh_stale_scores,
    rescore_dataset,
    scorer_version,
    stale_scores,
)
from fineflow_desktop.services.pairs.sql import (
    FLAGS,
    LIVE_MASK_SQL,
    PROBLEM_LABELS,
    SORT_SQL,
    TOO_LONG,
    PairFilter,
    decode_problems,
    fts_query,
    ids_query,
    where_sql,
)

__all__ = [
    "CONTENT_FIELDS", "EDITABLE_FIELDS", "FLAGS", "INSERT_FIELDS", "LIVE_MASK_SQL", "PROBLEM_LABELS", "SORT_SQL",
    "SOURCES", "TEXT_FIELDS", "TOO_LONG", "PairFilter", "PairNotFound", "add_tag", "chat_tokens_many", "check_messages",
    "count_pairs", "decode_problems", "delete_pairs", "duplicates_of", "ensure_review_index", "fetch_pairs",
    "filter_options", "fts_query", "get_pair", "ids_query", "insert_pairs", "pair_messages", "query_pair_ids",
    "query_pair_ids_np", "remove_tag", "rescore_dataset", "restore_pairs", "restore_rejected", "restore_validated",
    "set_rejected", "set_tags", "set_validated", "snapshot_pairs", "token_limit_for", "update_pair", "where_sql",
]
