from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.claims import kinds
from pipeline.data.corpora import data_root, polnear
from pipeline.data.labeled import LabeledClaim, Ref

TEXT = (
    "Smith said the plan failed. \u201cIt is over,\u201d Jones said, \u201cand we lost.\u201d "
    "It was reported that taxes rose.\n"
    "Brown called the deal \u201ca disaster.\u201d Read more here, the editor said. "
    "According to police, nobody was hurt.\n"
    "\u201cFine,\u201d Lee said. \u201cGo.\u201d Green warned that\nthe vote was rigged.\n"
    "White hinted at change.\n"
)
STEM = "fake_2016-10-01_a-test-article"


def at(sub: str, after: str | None = None) -> tuple[int, int]:
    """Offsets of ``sub`` (the first one after the end of ``after``, when given)."""
    origin = TEXT.index(after) + len(after) if after else 0
    start = TEXT.index(sub, origin)
    return start, start + len(sub)


def t_line(tid: str, kind: str, *frags: tuple[int, int]) -> str:
    offsets = ";".join(f"{s} {e}" for s, e in frags)
    return f"{tid}\t{kind} {offsets}\t{' '.join(TEXT[s:e] for s, e in frags)}"


def ann() -> str:
    lines = [
        # E1: plain indirect
        t_line("T1", "Source", at("Smith")),
        t_line("T2", "Cue", at("said")),
        t_line("T3", "Content", at("the plan failed")),
        t_line("T4", "Attribution", at("said")),
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
        # E2: discontinuous content around source and cue, direct
        t_line("T5", "Source", at("Jones")),
        t_line("T6", "Cue", at("said", "Jones")),
        t_line("T7", "Content", at("\u201cIt is over,\u201d"), at("\u201cand we lost.\u201d")),
        t_line("T8", "Attribution", at("said", "Jones")),
        "E2\tAttribution:T8 Cue:T6 Source:T5 Content:T7",
        # E3: no source
        t_line("T9", "Cue", at("was reported")),
        t_line("T10", "Content", at("that taxes rose")),
        t_line("T11", "Attribution-no-source", at("was reported")),
        "E3\tAttribution-no-source:T11 Content:T10 Cue:T9",
        # E4: mixed
        t_line("T12", "Source", at("Brown")),
        t_line("T13", "Cue", at("called")),
        t_line("T14", "Content", at("the deal \u201ca disaster.\u201d")),
        t_line("T15", "Attribution", at("called")),
        "E4\tAttribution:T15 Content:T14 Cue:T13 Source:T12",
        # E5: content flagged by an overlapping Discard span -> dropped
        t_line("T16", "Source", at("the editor")),
        t_line("T17", "Cue", at("said", "the editor")),
        t_line("T18", "Content", at("Read more here")),
        t_line("T19", "Attribution", at("said", "the editor")),
        "E5\tAttribution:T19 Content:T18 Cue:T17 Source:T16",
        t_line("T20", "Discard", at("Read more here,")),
        "#1\tAnnotatorNotes T20\tboilerplate",
        # E6: according to
        t_line("T21", "Cue", at("According to")),
        t_line("T22", "Source", at("police")),
        t_line("T23", "Content", at("nobody was hurt")),
        t_line("T24", "Attribution", at("According to")),
        "E6\tAttribution:T24 Source:T22 Cue:T21 Content:T23",
        # E7: two content spans (Content, Content2), both quotations -> direct
        t_line("T25", "Content", at("\u201cFine,\u201d")),
        t_line("T26", "Source", at("Lee")),
        t_line("T27", "Cue", at("said", "Lee")),
        t_line("T28", "Content", at("\u201cGo.\u201d")),
        t_line("T29", "Attribution", at("said", "Lee")),
        "E7\tAttribution:T29 Content:T25 Cue:T27 Source:T26 Content2:T28",
        # E8: content across a newline: its text runs over two lines of the .ann file
        t_line("T30", "Source", at("Green")),
        t_line("T31", "Cue", at("warned")),
        t_line("T32", "Content", at("that\nthe vote was rigged")),
        t_line("T33", "Attribution", at("warned")),
        "E8\tAttribution:T33 Content:T32 Cue:T31 Source:T30",
        # E9: the event's cue is itself a Discuss span -> dropped
        t_line("T34", "Source", at("White")),
        t_line("T35", "Discuss", at("hinted at")),
        t_line("T36", "Content", at("change")),
        t_line("T37", "Attribution", at("hinted at")),
        "E9\tAttribution:T37 Content:T36 Cue:T35 Source:T34",
        # E10: no content -> skipped
        "E10\tAttribution:",
        "",
    ]
    return "\n".join(lines)


@pytest.fixture
def fake_root(tmp_path: Path) -> Path:
    data = tmp_path / "polnear" / "data"
    (data / "dev" / "text").mkdir(parents=True)
    (data / "dev" / "attributions").mkdir(parents=True)
    (data / "metadata.tsv").write_text(
        "compartment\tfilename\tlevel\tannotators\tpublisher\tpublication_date\tauthor\ttitle\n"
        f"dev\t{STEM}\t1\taaaa|bbbb\tnyt\t2016-10-01\tA. Writer\tA test article\n",
        encoding="utf-8",
    )
    (data / "dev" / "text" / f"{STEM}.txt").write_text(TEXT, encoding="utf-8")
    (data / "dev" / "attributions" / f"{STEM}_aaaa.ann").write_text(ann(), encoding="utf-8")
    # A second annotator: never read, the lexicographically first file wins.
    (data / "dev" / "attributions" / f"{STEM}_bbbb.ann").write_text(
        "T1\tContent 0 5\tSmith\nE1\tAttribution:T1 Content:T1\n", encoding="utf-8"
    )
    return tmp_path


def claim(content: tuple[int, int], kind: str, speaker: str | None, cue: tuple[int, int] | None) -> LabeledClaim:
    sp = at(speaker) if speaker else (None, None)
    return LabeledClaim(
        start_char=content[0],
        end_char=content[1],
        kind=kind,
        speaker=speaker,
        speaker_start_char=sp[0],
        speaker_end_char=sp[1],
        cue_start_char=cue[0] if cue else None,
        cue_end_char=cue[1] if cue else None,
    )


def test_fake_article_imports_exactly(fake_root: Path):
    items, stats = polnear.import_split(fake_root, "dev")
    assert len(items) == 1
    item = items[0]
    assert item.id == f"polnear:dev/{STEM}"
    assert item.ref == Ref(corpus="polnear", doc_id=f"dev/{STEM}")
    assert item.text == TEXT
    assert (item.title, item.date, item.source, item.split) == ("A test article", "2016-10-01", "nyt", "dev")

    expected = [
        claim(at("the plan failed"), "indirect", "Smith", at("said")),
        claim((at("\u201cIt is over")[0], at("we lost.\u201d")[1]), "direct", "Jones", at("said", "Jones")),
        claim(at("that taxes rose"), "indirect", None, at("was reported")),
        claim(at("the deal \u201ca disaster.\u201d"), "mixed", "Brown", at("called")),
        claim(at("nobody was hurt"), "according_to", "police", at("According to")),
        claim((at("\u201cFine")[0], at("Go.\u201d")[1]), "direct", "Lee", at("said", "Lee")),
        claim(at("that\nthe vote was rigged"), "indirect", "Green", at("warned")),
    ]
    assert item.claims == expected
    # Literal offsets for the first claim, as a guard on the helper.
    assert (item.claims[0].start_char, item.claims[0].end_char) == (11, 26)
    assert (item.claims[0].speaker_start_char, item.claims[0].speaker_end_char) == (0, 5)

    assert stats.articles == 1 and stats.ann_files_total == 2
    assert stats.attributions == 10
    assert stats.claims == 7
    assert stats.dropped_flagged == 1
    assert stats.dropped_flag_reference == 1
    assert stats.skipped_no_content == 1
    assert stats.no_source == 1
    assert stats.discontinuous_content == 2
    assert dict(stats.flag_spans) == {"Discard": 1, "Discuss": 1}
    assert stats.single_fragment_mismatches == 0 and stats.multi_fragment_mismatches == 0
    assert polnear.labeled_articles(fake_root, "dev") == items


def test_span_text_mismatch_is_counted():
    doc = polnear.parse_ann("T1\tSource 0 5\tSmyth\nT2\tContent 11 26\tthe plan failed\nE1\tAttribution: Content:T2\n")
    stats = polnear.ImportStats()
    claims = polnear.article_claims(TEXT, doc, stats)
    assert stats.single_fragment_spans == 2 and stats.single_fragment_mismatches == 1
    assert [(c.start_char, c.end_char, c.speaker) for c in claims] == [(11, 26, None)]


def test_parse_discontinuous_and_multiline():
    doc = polnear.parse_ann("T1\tContent 0 4;10 12\tab\ncd ef\n\nT2\tCue 5 9\tsaid\n#1\tAnnotatorNotes T1\tnote\n")
    assert doc.spans["T1"].fragments == ((0, 4), (10, 12))
    assert doc.spans["T1"].text == "ab\ncd ef"
    assert doc.spans["T2"].text == "said"
    assert doc.events == []


@pytest.mark.parametrize(
    ("fragments", "cue", "kind"),
    [
        (["\u201cWe won.\u201d"], "said", "direct"),
        (['"We won,"', '"and we are glad."'], "said", "direct"),
        (["\u201cWe won,\u201d he said, \u201cbig.\u201d"], "said", "mixed"),
        (["the result was \u201cgreat\u201d"], "said", "mixed"),
        (["Clinton\u2019s plan works"], "said", "indirect"),
        (["the plan works"], "According to", "according_to"),
    ],
)
def test_claim_kind(fragments: list[str], cue: str, kind: str):
    assert kinds.claim_kind(fragments, cue) == kind


@pytest.mark.corpus
@pytest.mark.skipif(not (data_root() / "polnear").is_dir(), reason="PolNeAR is not in the shared data folder")
def test_dev_split_imports():
    items, stats = polnear.import_split(data_root(), "dev")
    assert len(items) == 84
    n = sum(len(item.claims) for item in items)
    print(f"\nPolNeAR dev: {len(items)} articles, {n} claims, stats {stats.as_dict()}")
    assert 1500 <= n <= 2400
    for item in items:
        assert item.text is not None and item.ref is not None
        for c in item.claims:
            assert 0 <= c.start_char < c.end_char <= len(item.text)
            if c.speaker_start_char is not None:
                assert 0 <= c.speaker_start_char < c.speaker_end_char <= len(item.text)
            if c.cue_start_char is not None:
                assert 0 <= c.cue_start_char < c.cue_end_char <= len(item.text)
    assert stats.single_fragment_mismatches == 0
