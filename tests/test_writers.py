import os
import stat

import pytest

from pipeline.writers import atomic_lines


def test_atomic_lines_writes_all_lines_with_the_usual_file_mode(tmp_path):
    out = tmp_path / "out.jsonl"
    atomic_lines(out, ["a", "b"])
    assert out.read_text(encoding="utf-8") == "a\nb\n"
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~mask  # not mkstemp's private 0600
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_atomic_lines_leaves_the_old_file_when_writing_fails(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("old\n", encoding="utf-8")

    def lines():
        yield "new"
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        atomic_lines(out, lines())
    assert out.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_a_folder_that_cannot_be_written_names_the_file_asked_for(tmp_path, monkeypatch):
    import tempfile

    def refuse(prefix, suffix, dir):
        raise PermissionError(13, "Permission denied", f"{dir}/{prefix}x1y2{suffix}")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(PermissionError) as caught:
        atomic_lines(tmp_path / "report.html", ["x"])
    assert caught.value.filename == str(tmp_path / "report.html")  # not ".report.html.x1y2.tmp"
