"""Export feedback PDFs: one per facilitator of each session, into exports/ or a chosen place.

Rendering is CPU-bound, so a batch is spread over the machine's cores with a process pool;
one PDF is rendered in-process (no pool start-up to pay). Workers only render and write PDFs;
the session files are only read. Exporting never changes a session's status: sharing is
its own deliberate step (observe.services.sharing).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from observe.core.errors import NotFound, ObserveError, UsageError
from observe.core.ids import slugify
from observe.core.models import Status
from observe.core.record import SessionRecord
from observe.report.compat import process_stderr
from observe.report.feedback import facilitator_ids
from observe.store.repository import Repository
from observe.store.workspace import Workspace


@dataclass(frozen=True)
class Job:
    """One PDF to make: which session file, for whom, and where to write it.

    ``write`` says what happens when the target exists: "new" refuses (a named --out),
    "free" takes the next free name (the default folder: nothing is ever replaced there),
    "replace" replaces it (--force).
    """

    session: Path
    facilitator: str
    target: Path
    write: str = "new"


@dataclass
class Exported:
    """What happened to one session: the PDFs written, and anything the user should know."""

    session: Path
    pdfs: list[Path] = field(default_factory=list)
    error: str = ""


Progress = Callable[[int, int, Path], None]  # (done, total, the PDF just written)


def cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def pdf_name(record: SessionRecord, facilitator_id: str) -> str:
    """Named by the person, as a reader looks for it: in a team a facilitator's id is a
    member id, which says nothing to whoever opens the exports folder."""
    session = record.session
    slugs = {p.id: slugify(p.name) for p in session.meta.facilitators}
    who = slugs.get(facilitator_id, facilitator_id)
    if list(slugs.values()).count(who) > 1:  # two names alike: the ids tell them apart
        who = facilitator_id
    return f"{session.meta.date.isoformat()}_{who}_{session.short_id}.pdf"


def plan(
    workspace: Workspace,
    path: Path,
    facilitator: str | None = None,
    out: Path | None = None,
    *,
    many: bool = False,
    force: bool = False,
) -> list[Job]:
    """The PDFs one session gives; NotFound for an unknown facilitator, UsageError for a
    target that may not be written (observe.store.output). Nothing is written."""
    from observe.store.output import check_target

    record = Repository(workspace).load(path)
    if record.session.meta.calibration:
        from observe.services.calibration import feedback_refusal

        if refused := feedback_refusal(workspace, record, path):
            raise UsageError(refused)
    fids = facilitator_ids(record, facilitator)
    write = "replace" if force else "new"
    if out is None:
        folder, write = workspace.exports_dir, "replace" if force else "free"
    else:
        out = out.expanduser()
        folder = out
    if out is not None and out.suffix.lower() == ".pdf" and not out.is_dir():
        if many or len(fids) > 1:
            raise UsageError(
                f"--out {out} names one file, but this export makes {'many' if many else len(fids)}"
                " PDFs (one per facilitator): give a folder"
            )
        jobs = [Job(path, fids[0], out, write)]
    else:
        jobs = [Job(path, fid, folder / pdf_name(record, fid), write) for fid in fids]
    for job in jobs:
        check_target(job.target, workspace, force=job.write != "new")
    return jobs


def render_job(job: Job) -> Path:
    """Render and write one PDF (runs in a worker process for batches)."""
    from observe.report.feedback import feedback_pdf
    from observe.store.files import read_record
    from observe.store.output import write_free, write_output

    record = read_record(job.session)
    pdf = feedback_pdf(record, job.facilitator)
    if job.write == "free":
        return write_free(job.target.parent, job.target.name, pdf)
    return write_output(job.target, pdf, force=job.write == "replace")


def _context() -> multiprocessing.context.BaseContext:
    # fork is quick and inherits the loaded modules, but forking a process that runs other
    # threads (the app's workers, the writer) can copy a held lock into the child.
    if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker (once per process) with a usable stderr."""
    from multiprocessing import resource_tracker

    with process_stderr():
        resource_tracker.ensure_running()


def _quiet() -> None:
    """Worker start-up for the app: nothing a worker prints may reach the app's terminal."""
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    os.close(null)


def run_jobs(
    jobs: Sequence[Job],
    *,
    workers: int | None = None,
    progress: Progress | None = None,
    isolate: bool = False,
) -> dict[Job, Path | BaseException]:
    """Render every job; each result is the path written or the exception that stopped it.

    With ``isolate`` even a single PDF renders in a worker process: the app asks for that,
    so that WeasyPrint's long hold on the GIL cannot stall the screen.
    """
    results: dict[Job, Path | BaseException] = {}
    workers = max(1, min(workers or cores(), len(jobs)))
    if workers == 1 and not isolate:
        for job in jobs:
            try:
                results[job] = render_job(job)
            except Exception as exc:
                results[job] = exc
            if progress is not None:
                progress(len(results), len(jobs), job.target)
        return results
    context = _context()
    if context.get_start_method() != "fork":
        _start_resource_tracker()
    initializer = _quiet if isolate else None
    with ProcessPoolExecutor(workers, context, initializer) as pool:
        futures = {pool.submit(render_job, job): job for job in jobs}
        for future in as_completed(futures):
            job = futures[future]
            try:
                results[job] = future.result()
            except Exception as exc:
                results[job] = exc
            if progress is not None:
                progress(len(results), len(jobs), job.target)
    return results


def export_many(
    workspace: Workspace,
    paths: Sequence[Path],
    facilitator: str | None = None,
    out: Path | None = None,
    *,
    workers: int | None = None,
    progress: Progress | None = None,
    skip_absent: bool = False,
    isolate: bool = False,
    force: bool = False,
) -> list[Exported]:
    """Export every session in ``paths``; with ``skip_absent``, sessions the named facilitator
    did not run are passed over instead of being an error. Existing PDFs are replaced only
    with ``force``: a named one is refused, one in the default folder gets a free name."""
    many = len(paths) > 1
    jobs: list[Job] = []
    outcomes = {path: Exported(path) for path in paths}
    for path in paths:
        try:
            jobs += plan(workspace, path, facilitator, out, many=many, force=force)
        except NotFound:  # only "not a facilitator of this session" is passed over
            if not skip_absent or facilitator is None:
                raise
    results = run_jobs(jobs, workers=workers, progress=progress, isolate=isolate)
    for job in jobs:
        result = results[job]
        outcome = outcomes[job.session]
        if isinstance(result, BaseException):
            outcome.error = f"{job.session.name} ({job.facilitator}): {result}"
        else:
            outcome.pdfs.append(result)
    return [outcomes[p] for p in paths if outcomes[p].pdfs or outcomes[p].error]


def export_session(
    workspace: Workspace,
    path: Path,
    facilitator: str | None = None,
    out: Path | None = None,
) -> list[Path]:
    """Write the feedback PDFs of one session; returns their paths."""
    [outcome] = export_many(workspace, [path], facilitator, out, workers=1) or [Exported(path)]
    if outcome.error:
        raise ObserveError(f"could not export {outcome.error}")
    return outcome.pdfs


def select(
    workspace: Workspace,
    keys: Sequence[str] = (),
    *,
    wave: str | None = None,
    all_completed: bool = False,
) -> list[Path]:
    """Session files by id or id prefix, plus those of a wave (any status but in progress)
    and/or every completed session not yet shared."""
    repo = Repository(workspace)
    paths = [repo.find(key) for key in keys]
    if wave is not None or all_completed:
        from observe.core.calibration import counted_once
        from observe.services.sessions import listing_rows, refresh_index

        # One feedback per co-observed delivery, as collation counts it: the agreed record,
        # the first observer's until they agree, none while one observes.
        entries = refresh_index(workspace)
        kept = {e.name for e in counted_once(entries)[0]}
        co_observed = {e.name for e in entries if e.ok and e.meta.get("calibration")} - kept
        for row in listing_rows(workspace):
            if row.unreadable or row.status == Status.IN_PROGRESS:
                continue
            if row.file in co_observed:  # the delivery's feedback is another session
                continue
            if wave is not None and row.wave != wave:
                continue
            if all_completed and row.status != Status.COMPLETED:
                continue
            paths.append(workspace.sessions_dir / row.file)
    unique = list(dict.fromkeys(p.resolve() for p in paths))
    if not unique and (wave is not None or all_completed):
        which = f"in wave {wave}" if wave is not None else "completed and not yet shared"
        raise UsageError(
            f"no sessions {which} to export (sessions in progress are left out, and so is a"
            " co-observed delivery until every observer has finished)"
        )
    if not unique:
        raise UsageError("no sessions to export: name one, or use --wave or --all-completed")
    return unique
