"""A collation run over a workspace: refresh the index, resolve the filters, count."""

from __future__ import annotations

from collections.abc import Sequence

from observe.core.collate import Filters
from observe.core.frameworks import load_all
from observe.core.gcpause import gc_paused
from observe.report.collated import Collation, gather, resolve_facilitator
from observe.services.sessions import refresh_index
from observe.store.workspace import Workspace


def gather_workspace(
    workspace: Workspace, filters: Filters, by: Sequence[str] = (), names: bool = False
) -> Collation:
    with gc_paused():  # index entries and the counting: many small, acyclic objects
        entries = refresh_index(workspace)
        if filters.facilitator:
            found = resolve_facilitator(entries, filters.facilitator)
            filters = Filters(**{**filters.__dict__, "facilitator": found})
        frameworks = list(load_all(workspace.criteria_dir).frameworks.values())
        return gather(entries, frameworks, filters, by, names)
