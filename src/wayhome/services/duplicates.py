"""The duplicates review queue: find likely duplicates, compare them, merge, tell apart, undo.

The matching engine (`wayhome.linkage`) only *proposes* pairs; a reviewer decides. A merge never
deletes anything: the duplicate keeps its names, households and displacement events and gets
`merged_into_id` pointing at the record kept, so lists show one person and the kept person's page
lists the merged records as "also recorded as". Undoing a merge clears that pointer. Every
decision is a row of `duplicate_decisions`, an audit event and a new version of each person it
touched; a pair decided "different" is never proposed again.
"""

from __future__ import annotations

from wayhome.services.duplicates_decide import (
    decide_different,
    decide_same,
    skip,
    unmerge,
)
from wayhome.services.duplicates_find import (
    DEFAULT_THRESHOLD,
    ENTITY,
    STATUSES,
    find_duplicates,
    flag_pair,
    person_records,
)
from wayhome.services.duplicates_queue import (
    CandidateDetail,
    PersonMerges,
    Side,
    get_candidate,
    last_run,
    list_candidates,
    merge_target,
    merged_records,
    person_merges,
    queue_counts,
    queue_counts_up_to,
)

__all__ = [
    "DEFAULT_THRESHOLD",
    "ENTITY",
    "STATUSES",
    "CandidateDetail",
    "PersonMerges",
    "Side",
    "decide_different",
    "decide_same",
    "find_duplicates",
    "flag_pair",
    "get_candidate",
    "last_run",
    "list_candidates",
    "merge_target",
    "merged_records",
    "person_merges",
    "person_records",
    "queue_counts",
    "queue_counts_up_to",
    "skip",
    "unmerge",
]
