"""``safeground export`` and ``safeground print``: behaviour, files, messages and exit codes.

Printing is tested here against stand-in ``lp``/``lpstat`` scripts (what they were called with,
what they answered); tests/test_print_cups.py prints through a real CUPS.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from export_fixtures import (
    answer_page,
    answered,
    builtin,
    half_answered,
    page_sets,
    pdf_text_pypdf,
    squash,
    write_progress,
)
from safeground.cli import main
from safeground.export import (
    ExportResult,
    Printer,
    PrintingError,
    TargetExists,
    default_printer,
    export_to_file,
    format_for_path,
    list_printers,
    print_pages,
)
from safeground.progress import Progress


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder with half the built-in workbook answered (and SAFEGROUND_DATA_DIR set to it)."""
    folder = tmp_path / "data"
    monkeypatch.setenv("SAFEGROUND_DATA_DIR", str(folder))
    monkeypatch.delenv("LPDEST", raising=False)
    monkeypatch.delenv("PRINTER", raising=False)
    workbook = builtin()
    write_progress(folder, workbook, half_answered(workbook))
    return folder


def run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exit_:  # argparse usage errors
        code = exit_.code if isinstance(exit_.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


# -- export --------------------------------------------------------------------------------------


def test_text_goes_to_stdout_by_default(home, capsys):
    workbook = builtin()
    complete, _ = page_sets(workbook, half_answered(workbook))
    code, out, err = run(capsys, "export")
    assert (code, err) == (0, "")
    assert out.count("\f") == len(complete) - 1
    assert all(title in out for title in complete)


def test_markdown_to_stdout(home, capsys):
    code, out, _ = run(capsys, "export", "--format", "markdown")
    assert code == 0 and out.startswith("# Safe Ground\n")
    code, out, _ = run(capsys, "export", "--format", "markdown", "-o", "-")
    assert code == 0 and out.startswith("# Safe Ground\n")


@pytest.mark.parametrize(
    ("name", "fmt", "start"),
    [
        ("pages.txt", "text", b"Safe Ground \xc2\xb7 "),
        ("pages.md", "markdown", b"# Safe Ground"),
        ("pages.html", "html", b"<!DOCTYPE html>"),
        ("PAGES.HTM", "html", b"<!DOCTYPE html>"),
        ("pages.pdf", "pdf", b"%PDF-"),
    ],
)
def test_the_format_comes_from_the_suffix(home, capsys, tmp_path, name, fmt, start):
    target = tmp_path / name
    code, out, err = run(capsys, "export", "-o", str(target))
    assert code == 0, err
    assert target.read_bytes().startswith(start)
    assert "Saved " in out and str(target) in out
    assert "private" in out
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert format_for_path(target) == fmt


def test_format_wins_over_the_suffix(home, capsys, tmp_path):
    target = tmp_path / "pages.txt"
    assert run(capsys, "export", "--format", "html", "-o", str(target))[0] == 0
    assert target.read_bytes().startswith(b"<!DOCTYPE html>")


def test_an_existing_file_is_kept_unless_force_is_given(home, capsys, tmp_path):
    target = tmp_path / "out" / "pages.md"
    target.parent.mkdir()
    target.write_text("yesterday's answers")
    code, out, err = run(capsys, "export", "-o", str(target))
    assert (code, out) == (1, "")
    assert err == f"safeground: {target} already exists: add --force to replace it, or choose another name\n"
    assert target.read_text() == "yesterday's answers"
    assert sorted(p.name for p in target.parent.iterdir()) == ["pages.md"]


def test_an_existing_file_is_replaced_privately_with_force_and_nothing_is_left_behind(home, capsys, tmp_path):
    target = tmp_path / "out" / "pages.md"
    target.parent.mkdir()
    target.write_text("old")
    target.chmod(0o644)
    assert run(capsys, "export", "--force", "-o", str(target))[0] == 0
    assert target.read_text(encoding="utf-8").startswith("# Safe Ground")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in target.parent.iterdir()) == ["pages.md"]


@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_html_and_pdf_need_a_file(home, capsys, fmt):
    code, out, err = run(capsys, "export", "--format", fmt)
    assert code == 2 and out == ""
    assert f"add -o PATH, like -o pages.{fmt}" in err


def test_an_unknown_suffix_is_a_usage_error(home, capsys, tmp_path):
    code, _, err = run(capsys, "export", "-o", str(tmp_path / "pages.docx"))
    assert code == 2 and "give --format" in err and ".pdf" in err
    assert not (tmp_path / "pages.docx").exists()


def test_nothing_to_export(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SAFEGROUND_DATA_DIR", str(tmp_path / "empty"))
    code, out, err = run(capsys, "export")
    assert (code, out) == (1, "")
    assert (
        err
        == "safeground: nothing to export: no page is complete yet; add --include-drafts to include pages you have started\n"
    )
    code, _, err = run(capsys, "export", "--include-drafts", "-o", str(tmp_path / "x.pdf"))
    assert code == 1 and err == "safeground: nothing to export: no page has any answers yet\n"
    assert not (tmp_path / "x.pdf").exists()


def test_an_unknown_chapter_lists_the_valid_ones(home, capsys):
    code, out, err = run(capsys, "export", "--chapter", "what-safety-is", "--chapter", "nope")
    assert (code, out) == (1, "")
    ids = ", ".join(c.id for c in builtin().chapters)
    assert err == f"safeground: no chapter 'nope' in this workbook; its chapters are: {ids}\n"


def test_chapters_drafts_and_profile(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "data"
    monkeypatch.setenv("SAFEGROUND_DATA_DIR", str(folder))
    workbook = builtin()
    write_progress(folder, workbook, half_answered(workbook), profile="sam")
    first = workbook.chapters[0]
    complete, drafts = page_sets(workbook, half_answered(workbook))
    code, out, _ = run(capsys, "export", "--profile", "sam", "--chapter", first.id)
    assert code == 0
    assert all(first.title in page.splitlines()[0] for page in out.split("\f"))
    assert "Answered by sam" in out
    code, out, _ = run(capsys, "--profile", "sam", "export", "--include-drafts")
    assert out.count("\f") == len(complete) + len(drafts) - 1
    assert out.count("DRAFT: this page is not finished yet.") == len(drafts)


def test_a_missing_folder_or_a_folder_as_target(home, capsys, tmp_path):
    code, _, err = run(capsys, "export", "-o", str(tmp_path / "no" / "such" / "pages.pdf"))
    assert code == 1 and "does not exist" in err and err.count("\n") == 1
    code, _, err = run(capsys, "export", "--format", "text", "-o", str(tmp_path))
    assert code == 1 and "is a folder" in err


def test_a_broken_progress_file_is_reported_not_exported(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "data"
    monkeypatch.setenv("SAFEGROUND_DATA_DIR", str(folder))
    (folder / "default").mkdir(parents=True)
    (folder / "default" / "safe-ground.toml").write_text("not [valid toml", encoding="utf-8")
    code, out, err = run(capsys, "export")
    assert code == 1 and out == "" and "not valid TOML" in err


def test_export_and_print_help(capsys):
    for command in ("export", "print"):
        code, out, _ = run(capsys, command, "--help")
        assert code == 0 and "--include-drafts" in out and "--chapter" in out
    assert "--force" in run(capsys, "export", "--help")[1]


def test_export_to_file_api(tmp_path):
    workbook = builtin()
    result = export_to_file(workbook, answered(workbook), tmp_path / "all.pdf", profile="sam", include_private=True)
    assert isinstance(result, ExportResult)
    assert (result.path, result.pages, result.format, result.warnings) == (
        tmp_path / "all.pdf",
        workbook.page_count,
        "pdf",
        (),
    )
    assert "Answered by sam" in pdf_text_pypdf(result.path)


def test_export_commands_do_not_import_textual(home, tmp_path):
    code = textwrap.dedent(f"""
        import json, sys
        from safeground.cli import main
        codes = [main(["export", "-o", {str(tmp_path / "a.pdf")!r}]), main(["export", "-o", {str(tmp_path / "a.html")!r}])]
        print(json.dumps({{"codes": codes, "textual": sorted(m for m in sys.modules if m.split(".")[0] == "textual")}}))
    """)
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "SAFEGROUND_DATA_DIR": str(home)},
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report == {"codes": [0, 0], "textual": []}


# -- print, against stand-in lp and lpstat -------------------------------------------------------


def fake_tool(folder: Path, name: str, script: str) -> None:
    path = folder / name
    path.write_text("#!/bin/sh\n" + textwrap.dedent(script))
    path.chmod(0o755)


@pytest.fixture
def fake_cups(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A PATH with stand-in lp and lpstat: lp records its arguments and a copy of the file."""
    folder = tmp_path / "bin"
    folder.mkdir()
    log = tmp_path / "lp.log"
    fake_tool(
        folder,
        "lp",
        f"""
        echo "$@" > {log}
        for last; do :; done
        cp "$last" {tmp_path / "printed.pdf"}
        if [ -n "$FAKE_LP_ERROR" ]; then echo "$FAKE_LP_ERROR" >&2; exit 1; fi
        dest=Office
        while [ $# -gt 0 ]; do [ "$1" = "-d" ] && dest="$2"; shift; done
        echo "request id is $dest-42 (1 file(s))"
    """,
    )
    fake_tool(
        folder,
        "lpstat",
        """
        case "$1" in
          -e) printf 'Office\\nSafeGroundPDF\\n' ;;
          -p) printf 'printer Office is idle.  enabled since Jan 1\\nprinter SafeGroundPDF disabled since Jan 1 -\\n\\treason\\n' ;;
          -d) echo "system default destination: Office" ;;
        esac
    """,
    )
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}/usr/bin{os.pathsep}/bin")
    return tmp_path


def test_print_sends_a_pdf_of_the_completed_pages(home, fake_cups, capsys):
    code, out, err = run(capsys, "print")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith("Sent to printer Office as job Office-42 (")
    arguments = (fake_cups / "lp.log").read_text().split()
    assert arguments[:2] == ["-t", "workbook-pages"] and "-d" not in arguments
    assert not Path(arguments[-1]).exists(), "the temporary PDF is deleted once lp has it"
    text = squash(pdf_text_pypdf(fake_cups / "printed.pdf"))
    workbook = builtin()
    complete, drafts = page_sets(workbook, half_answered(workbook))
    assert all(squash(title) in text for title in complete)
    assert not any(squash(title) in text for title in drafts)


def test_print_to_a_named_printer(home, fake_cups, capsys):
    code, out, _ = run(capsys, "print", "--printer", "SafeGroundPDF", "--include-drafts")
    assert code == 0
    assert out.startswith("Sent to printer SafeGroundPDF as job SafeGroundPDF-42")
    arguments = (fake_cups / "lp.log").read_text().split()
    assert arguments[2:4] == ["-d", "SafeGroundPDF"]
    assert "DRAFT" in pdf_text_pypdf(fake_cups / "printed.pdf")


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        ("lp: Error - No default destination.", "no default printer is set up"),
        (
            "lp: The printer or class does not exist.",
            "there is no printer named 'Nowhere' (printers here: Office, SafeGroundPDF)",
        ),
        ("lp: Error - Scheduler not responding.", "the print service (CUPS) is not running"),
        ('lp: Destination "Office" is not accepting jobs.', "is not accepting jobs right now"),
        ("lp: something odd", "lp could not send the pages (something odd)"),
    ],
)
def test_print_failures_are_one_clear_line(home, fake_cups, capsys, monkeypatch, error, expected):
    monkeypatch.setenv("FAKE_LP_ERROR", error)
    code, out, err = run(capsys, "print", "--printer", "Nowhere")
    assert (code, out) == (1, "")
    assert err.count("\n") == 1 and expected in err
    assert "safeground export -o pages.pdf" in err


def test_print_without_cups(home, capsys, tmp_path, monkeypatch):
    empty = tmp_path / "nothing-here"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    code, out, err = run(capsys, "print")
    assert (code, out) == (1, "")
    assert err == (
        "safeground: printing needs CUPS, and its 'lp' command was not found; "
        "you can save a PDF instead: safeground export -o pages.pdf\n"
    )
    assert list_printers() == [] and default_printer() is None


def test_print_with_nothing_to_print(tmp_path, fake_cups, capsys, monkeypatch):
    monkeypatch.setenv("SAFEGROUND_DATA_DIR", str(tmp_path / "empty"))
    code, _, err = run(capsys, "print")
    assert code == 1 and "nothing to export" in err
    assert not (fake_cups / "lp.log").exists()


def test_a_printer_name_cannot_be_an_option(home, fake_cups, capsys):
    code, _, err = run(capsys, "print", "--printer=-oevil")
    assert code == 1 and "is not a printer name" in err
    assert not (fake_cups / "lp.log").exists()


def test_list_printers_and_default(fake_cups, monkeypatch):
    monkeypatch.delenv("LPDEST", raising=False)
    monkeypatch.delenv("PRINTER", raising=False)
    assert list_printers() == [Printer("Office", True, "idle"), Printer("SafeGroundPDF", False, "disabled")]
    assert default_printer() == "Office"
    monkeypatch.setenv("LPDEST", "Elsewhere")
    assert default_printer() == "Elsewhere"


def test_print_pages_api(fake_cups):
    workbook = builtin()
    progress = Progress(workbook.id)
    chapter = workbook.chapters[0]
    answer_page(workbook, progress, chapter, chapter.pages[0])
    result = print_pages(workbook, progress, printer="Office")
    assert (result.job_id, result.printer, result.pages) == ("Office-42", "Office", 1)
    assert result.message == "Sent to printer Office as job Office-42"
    with pytest.raises(PrintingError):
        print_pages(workbook, progress, printer="bad name")


def test_a_pdf_can_be_piped(home):
    result = subprocess.run(
        [sys.executable, "-m", "safeground", "export", "--format", "pdf", "-o", "-"],
        capture_output=True,
        timeout=120,
        env={**os.environ, "SAFEGROUND_DATA_DIR": str(home)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"%PDF-") and result.stdout.rstrip().endswith(b"%%EOF")


def test_export_to_file_never_replaces_a_file_unless_asked(tmp_path):
    workbook = builtin()
    target = tmp_path / "all.md"
    target.write_text("keep me")
    with pytest.raises(TargetExists) as raised:
        export_to_file(workbook, answered(workbook), target)
    assert raised.value.path == target and target.read_text() == "keep me"
    export_to_file(workbook, answered(workbook), target, replace=True)
    assert target.read_text(encoding="utf-8").startswith("# Safe Ground")


# -- where the output goes: pipes, devices, links and things that are not files -------------------


def safeground_process(
    home: Path, *args: str, prepare: str = "", env: dict[str, str] | None = None, **popen
) -> subprocess.Popen:
    """``safeground ARGS`` in its own process group (so its children can be reaped too).

    ``prepare`` is Python run first in that process, to slow a step down for a test.
    """
    # Signals as a terminal would deliver them: a suite started under nohup (or as a background job)
    # hands on an ignored SIGHUP (or SIGINT), and the export rightly goes on ignoring it.
    reset = (
        "import signal\n"
        "signal.signal(signal.SIGHUP, signal.SIG_DFL)\n"
        "signal.signal(signal.SIGTERM, signal.SIG_DFL)\n"
        "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
    )
    code = f"{reset}{prepare}\nimport sys\nfrom safeground.cli import main\nsys.exit(main(sys.argv[1:]))\n"
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        start_new_session=True,
        env={**os.environ, "SAFEGROUND_DATA_DIR": str(home), **(env or {})},
        **popen,
    )


@contextlib.contextmanager
def reaped(processes: list[subprocess.Popen]):
    """Kill and wait for every process (and its group) still running, even when the test fails."""
    try:
        yield processes
    finally:
        for process in processes:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            process.wait(timeout=30)
            for stream in (process.stdout, process.stderr):
                if stream is not None:
                    stream.close()


def wait_for(condition, what: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {timeout} s for {what}")
        time.sleep(0.05)


def test_a_fifo_is_written_into_not_replaced(home, tmp_path):
    """``-o >(gpg -c > file)`` names a pipe: the pages go into it, and the pipe stays a pipe."""
    folder = tmp_path / "out"
    folder.mkdir()
    fifo = folder / "pages.md"
    os.mkfifo(fifo)
    received = tmp_path / "received.md"
    with received.open("wb") as sink, reaped([]) as processes:
        processes.append(subprocess.Popen(["cat", str(fifo)], stdout=sink, start_new_session=True))
        export = safeground_process(home, "export", "-o", str(fifo), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        processes.append(export)
        out, err = export.communicate(timeout=120)
        assert export.returncode == 0, err
        assert processes[0].wait(timeout=30) == 0
    assert received.read_text(encoding="utf-8").startswith("# Safe Ground")
    assert stat.S_ISFIFO(fifo.lstat().st_mode), "the pipe is still a pipe"
    assert sorted(p.name for p in folder.iterdir()) == ["pages.md"]
    assert out == b"", "nothing is said on standard output, as with -o -"


@pytest.fixture
def null_device(tmp_path: Path) -> Path:
    """A character device to export into: a private copy of the null device when this account may
    make one (so a failing test can never replace the system's /dev/null), else /dev/null itself,
    which an ordinary account cannot replace."""
    if os.geteuid() == 0:
        node = tmp_path / "null"
        try:
            os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
            node.open("wb").close()
            return node
        except OSError:
            pytest.skip("cannot make a device node here, and /dev/null must not be risked as root")
    return Path("/dev/null")


def test_a_character_device_is_written_into_not_replaced(home, capsys, null_device):
    before = null_device.lstat()
    code, out, err = run(capsys, "export", "--format", "markdown", "-o", str(null_device))
    assert (code, out, err) == (0, "", "")
    after = null_device.lstat()
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)
    assert not [p for p in null_device.parent.iterdir() if p.name.startswith(".")]


def test_dev_stdout_writes_to_standard_output(home):
    result = subprocess.run(
        [sys.executable, "-m", "safeground", "export", "--format", "markdown", "-o", "/dev/stdout"],
        capture_output=True,
        timeout=120,
        env={**os.environ, "SAFEGROUND_DATA_DIR": str(home)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"# Safe Ground") and b"Saved" not in result.stdout
    assert Path("/dev/stdout").is_symlink() or stat.S_ISCHR(os.stat("/dev/stdout").st_mode)


def test_a_socket_is_refused_in_one_sentence(home, capsys, tmp_path):
    import socket

    path = tmp_path / "pages.md"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        code, out, err = run(capsys, "export", "--force", "-o", str(path))
    finally:
        server.close()
    assert (code, out) == (1, "")
    assert err == f"safeground: {path} is a socket, not a file: give the name of a file to save to\n"
    assert stat.S_ISSOCK(path.lstat().st_mode)


def test_a_link_to_a_file_writes_through_to_that_file_and_stays_a_link(home, capsys, tmp_path):
    real = tmp_path / "kept" / "pages.md"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "pages.md"
    link.symlink_to(real)
    code, _, err = run(capsys, "export", "-o", str(link))
    assert code == 1 and f"{link} is a link to {real}, which already exists" in err and "--force" in err
    assert real.read_text() == "old"
    code, out, err = run(capsys, "export", "--force", "-o", str(link))
    assert (code, err) == (0, "")
    assert f"to {real} (through the link {link})" in out
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text(encoding="utf-8").startswith("# Safe Ground")
    assert sorted(p.name for p in real.parent.iterdir()) == ["pages.md"]


def test_a_link_to_nothing_is_refused(home, capsys, tmp_path):
    link = tmp_path / "pages.md"
    link.symlink_to(tmp_path / "elsewhere" / "gone.md")
    code, _, err = run(capsys, "export", "--force", "-o", str(link))
    assert code == 1
    assert err == (
        f"safeground: {link} is a link to {tmp_path / 'elsewhere' / 'gone.md'}, which does not exist: "
        "give the name of a file to save to\n"
    )
    assert link.is_symlink() and not (tmp_path / "elsewhere").exists()


def test_a_path_with_control_characters_is_shown_with_stand_ins(home, capsys, tmp_path):
    target = tmp_path / "pages\x1b[2J.md"
    code, out, err = run(capsys, "export", "--format", "markdown", "-o", str(target))
    assert (code, err) == (0, "")
    assert "\x1b" not in out and "pages\u241b[2J.md" in out
    assert target.read_text(encoding="utf-8").startswith("# Safe Ground")


# -- killed mid-write: nothing left behind ---------------------------------------------------------

#: Makes the export stop, as if the disk were slow, once its bytes are written but before they are
#: in place, and leaves a mark saying so.
SLOW_FSYNC = """
import os, time
def _slow_fsync(fd, _mark={mark!r}):
    open(_mark, "w").close()
    time.sleep(120)
os.fsync = _slow_fsync
"""


def our_temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_mid_write_removes_the_temp_file(home, tmp_path, signum):
    folder = tmp_path / "out"
    folder.mkdir()
    mark = tmp_path / "writing"
    with reaped([]) as processes:
        export = safeground_process(
            home,
            "export",
            "-o",
            str(folder / "pages.md"),
            prepare=SLOW_FSYNC.format(mark=str(mark)),
            stderr=subprocess.PIPE,
        )
        processes.append(export)
        wait_for(mark.exists, "the export to start writing")
        assert our_temp_files(folder), "the temp file is there while writing"
        os.kill(export.pid, signum)
        code = export.wait(timeout=60)
    assert code == (130 if signum == signal.SIGINT else -signum), "exits as a signal would make it"
    assert list(folder.iterdir()) == []


def test_a_temp_file_left_by_a_killed_export_is_removed_next_time(home, capsys, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    mark = tmp_path / "writing"
    with reaped([]) as processes:
        export = safeground_process(
            home,
            "export",
            "-o",
            str(folder / "pages.md"),
            prepare=SLOW_FSYNC.format(mark=str(mark)),
            stderr=subprocess.PIPE,
        )
        processes.append(export)
        wait_for(mark.exists, "the export to start writing")
        export.kill()
        assert export.wait(timeout=60) == -signal.SIGKILL
    left = our_temp_files(folder)
    assert len(left) == 1, "SIGKILL cannot be caught: its temp file stays until the next run"
    # Look-alikes that are not ours, or whose writer is still running, are left alone.
    with reaped([subprocess.Popen(["sleep", "120"], start_new_session=True)]) as (alive,):
        still_writing = left[0].replace(str(export.pid), str(alive.pid))
        others = [still_writing, ".tmp-pages.md.abcd1234", ".safeground-export-x-abcd1234.tmp", "pages.md.bak"]
        assert still_writing != left[0], "the temp file's name says which process writes it"
        for name in others:
            (folder / name).write_text("not ours to remove")
        assert run(capsys, "export", "-o", str(folder / "pages.md"))[0] == 0
        assert sorted(p.name for p in folder.iterdir()) == sorted(["pages.md", *others])


def slow_lp(tmp_path: Path) -> tuple[Path, Path]:
    """A PATH whose ``lp`` says where it was given the PDF (and how private that is), then hangs."""
    folder = tmp_path / "slow-bin"
    folder.mkdir()
    mark = tmp_path / "lp-started"
    fake_tool(
        folder,
        "lp",
        f"""
        for last; do :; done
        stat -c '%a %U' "$(dirname "$last")" "$last" > {mark}.tmp && mv {mark}.tmp {mark}
        exec sleep 120
    """,
    )
    return folder, mark


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_print_killed_while_lp_runs_leaves_no_pdf_behind(home, tmp_path, signum):
    temp = tmp_path / "tmp"
    temp.mkdir()
    bin_folder, mark = slow_lp(tmp_path)
    with reaped([]) as processes:
        printing = safeground_process(
            home,
            "print",
            "--printer",
            "Office",
            stderr=subprocess.PIPE,
            env={"TMPDIR": str(temp), "PATH": f"{bin_folder}{os.pathsep}{os.environ['PATH']}"},
        )
        processes.append(printing)
        wait_for(mark.exists, "lp to be called")
        folder_mode, file_mode = mark.read_text().split("\n")[:2]
        assert folder_mode.split()[0] == "700" and file_mode.split()[0] == "600", "a private folder, a private file"
        os.kill(printing.pid, signum)
        assert printing.wait(timeout=60) == -signum
    assert list(temp.iterdir()) == [], "the PDF of the answers is gone"


def test_a_pdf_left_by_a_killed_print_is_removed_by_the_next_print(home, tmp_path, fake_cups, capsys, monkeypatch):
    import tempfile

    temp = tmp_path / "tmp"
    temp.mkdir()
    bin_folder, mark = slow_lp(tmp_path)
    with reaped([]) as processes:
        printing = safeground_process(
            home,
            "print",
            "--printer",
            "Office",
            stderr=subprocess.PIPE,
            env={"TMPDIR": str(temp), "PATH": f"{bin_folder}{os.pathsep}{os.environ['PATH']}"},
        )
        processes.append(printing)
        wait_for(mark.exists, "lp to be called")
        printing.kill()
        assert printing.wait(timeout=60) == -signal.SIGKILL
    assert len(list(temp.iterdir())) == 1
    someone_elses = temp / "safeground-print-1-abcd1234"  # pid 1 is always running
    someone_elses.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    assert run(capsys, "print")[0] == 0
    assert list(temp.iterdir()) == [someone_elses]
