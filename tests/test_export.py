"""Exporting feedback PDFs: file names, --out, status, locks, batches and the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from observe.cli.main import main
from observe.core.models import Framework, Status
from observe.services.export import Job, export_many, export_session, plan, run_jobs
from observe.store.repository import Repository
from observe.store.workspace import Workspace
from tests.conftest import make_meta
from tests.helpers_report import build_session, flat, pdf_text


def _status(repo: Repository, path: Path) -> Status:
    return repo.load(path).session.status


def _cli(workspace: Workspace, *args: str) -> object:
    return CliRunner().invoke(main, ["--workspace", str(workspace.root), *args])


def test_one_pdf_per_facilitator_into_exports_and_the_status_stays(
    workspace: Workspace, repo: Repository, framework: Framework
) -> None:
    with build_session(repo, framework) as session:
        path, sid = session.path, session.session.id
    assert _status(repo, path) is Status.COMPLETED
    pdfs = export_session(workspace, path)
    assert [p.name for p in pdfs] == [
        f"2026-03-04_asha-rahman_{sid[:8]}.pdf",
        f"2026-03-04_tom-price_{sid[:8]}.pdf",
    ]
    assert all(p.parent == workspace.exports_dir for p in pdfs)
    assert "Feedback for Tom Price" in pdf_text(pdfs[1].read_bytes())
    assert _status(repo, path) is Status.COMPLETED  # sharing is its own step
    assert repo.load(path).session.shared_at is None


def test_a_session_open_elsewhere_still_gets_its_pdf(
    workspace: Workspace, repo: Repository, framework: Framework, tmp_path: Path
) -> None:
    with build_session(repo, framework) as session:
        [outcome] = export_many(workspace, [session.path], "tom", tmp_path / "out")
        assert [p.name for p in outcome.pdfs] == [
            f"2026-03-04_tom-price_{session.session.short_id}.pdf"
        ]
        assert outcome.pdfs[0].parent == tmp_path / "out"
        assert _status(repo, session.path) is Status.COMPLETED


def test_out_naming_a_file_takes_one_pdf_only(
    workspace: Workspace, repo: Repository, framework: Framework, tmp_path: Path
) -> None:
    with build_session(repo, framework) as session:
        path = session.path
    target = tmp_path / "mine.pdf"
    assert plan(workspace, path, "asha", target) == [Job(path, "asha-rahman", target)]
    result = _cli(workspace, "export", session.session.id[:8], "--out", str(target))
    assert result.exit_code == 2
    assert "give a folder" in result.output
    assert not target.exists()


def test_cli_prints_the_paths_written(
    workspace: Workspace, repo: Repository, framework: Framework, tmp_path: Path
) -> None:
    with build_session(repo, framework) as session:
        sid = session.session.id
    target = tmp_path / "asha.pdf"
    result = _cli(workspace, "export", sid[:6], "--facilitator", "Asha", "--out", str(target))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [str(target)]
    assert flat("Feedback for Asha Rahman") in flat(pdf_text(target.read_bytes()))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "deadbeef"], "no session with id 'deadbeef'"),
        (["export"], "no sessions to export"),
        (["export", "--wave", "9"], "no sessions in wave 9 to export"),
        (["export", "{sid}", "--facilitator", "Nobody"], "'Nobody' is not a facilitator"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(
    workspace: Workspace, repo: Repository, framework: Framework, args: list[str], message: str
) -> None:
    with build_session(repo, framework) as session:
        sid = session.session.id[:8]
    result = _cli(workspace, *[a.format(sid=sid) for a in args])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]
    assert not any(workspace.exports_dir.iterdir())


def test_cli_render_failure_is_exit_1(
    workspace: Workspace,
    repo: Repository,
    framework: Framework,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from observe.report import render

    def broken(html: str, *_: object, **__: object) -> bytes:
        raise render.RenderError("could not render the PDF: boom")

    monkeypatch.setattr(render, "render_pdf", broken)
    with build_session(repo, framework) as session:
        path = session.path
    result = _cli(workspace, "export", session.session.id[:8], "--facilitator", "tom")
    assert result.exit_code == 1
    assert "boom" in result.output
    assert _status(repo, path) is Status.COMPLETED


def test_a_wave_exports_on_both_cores_skipping_those_not_run_by_the_facilitator(
    workspace: Workspace, repo: Repository, framework: Framework
) -> None:
    paths = []
    for names in [("Asha Rahman", "Tom Price"), ("Asha Rahman", "Bea Lowe"), ("Cal Ng", "Di Ro")]:
        with build_session(repo, framework, names=names) as session:
            paths.append(session.path)
    with repo.create(make_meta("Asha Rahman"), framework) as in_progress:
        pass
    seen: list[tuple[int, int]] = []
    outcomes = export_many(
        workspace,
        paths,
        "asha",
        workers=2,
        progress=lambda done, total, _: seen.append((done, total)),
        skip_absent=True,
    )
    assert [o.session for o in outcomes] == paths[:2]
    assert [len(o.pdfs) for o in outcomes] == [1, 1]
    assert seen == [(1, 2), (2, 2)]
    assert {_status(repo, p) for p in paths} == {Status.COMPLETED}
    result = _cli(workspace, "export", "--wave", "1", "--facilitator", "Cal", "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert len(result.output.splitlines()) == 1 and "cal-ng" in result.output
    assert _status(repo, in_progress.path) is Status.IN_PROGRESS


def test_failures_are_kept_per_job(workspace: Workspace, tmp_path: Path) -> None:
    missing = Job(tmp_path / "gone.json", "x", tmp_path / "x.pdf")
    [result] = run_jobs([missing], workers=1).values()
    assert isinstance(result, Exception)


def test_many_sessions_into_one_file_says_so_rather_than_finding_no_one(
    workspace: Workspace, repo: Repository, framework: Framework, tmp_path: Path
) -> None:
    for title in ("Day 1", "Day 2"):
        with repo.create(make_meta("Asha Rahman", title=title), framework) as session:
            session.set_status(Status.COMPLETED)
    result = _cli(
        workspace,
        "export",
        "--all-completed",
        "--facilitator",
        "asha",
        "--out",
        str(tmp_path / "asha.pdf"),
    )
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "names one file" in result.output and "facilitated none" not in result.output


def test_pdfs_are_named_by_the_person_not_their_team_member_id(
    repo: Repository, framework: Framework
) -> None:
    from observe.core.models import Person
    from observe.services.export import pdf_name

    people = [
        Person(id="m-7f3a9c", name="Siân O'Neil"),
        Person(id="m-01b2c3", name="Sam"),
        Person(id="m-9d8e7f", name="sam"),  # two names alike: the ids tell them apart
    ]
    meta = make_meta().model_copy(update={"facilitators": people})
    with repo.create(meta, framework) as session:
        record = session.record
    short = record.session.short_id
    assert pdf_name(record, "m-7f3a9c") == f"2026-03-04_sian-o-neil_{short}.pdf"
    assert pdf_name(record, "m-01b2c3") == f"2026-03-04_m-01b2c3_{short}.pdf"
    assert pdf_name(record, "m-9d8e7f") == f"2026-03-04_m-9d8e7f_{short}.pdf"
