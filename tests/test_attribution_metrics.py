from __future__ import annotations

import io

import pytest
from rich.console import Console
from rich.table import Table

from pipeline.data.labeled import LabeledArticle, LabeledClaim
from pipeline.evaluation.attribution_metrics import Tokens, format_table, greedy_match, score, trim
from pipeline.records import Claim, Span

TEXT = (
    '"We will build the wall," Donald Trump said on Monday. '
    "Hillary Clinton said the plan was unworkable. "
    "According to aides, the campaign is worried."
)


def at(sub: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(sub)
    return start, start + len(sub)


def gold_claim(content: str, speaker: str | None, kind: str) -> LabeledClaim:
    start, end = at(content)
    sp = at(speaker) if speaker else (None, None)
    return LabeledClaim(
        start_char=start,
        end_char=end,
        kind=kind,
        speaker=speaker,
        speaker_start_char=sp[0],
        speaker_end_char=sp[1],
    )


GOLD = LabeledArticle(
    id="a1",
    text=TEXT,
    claims=[
        gold_claim('"We will build the wall,"', "Donald Trump", "direct"),
        gold_claim("the plan was unworkable", "Hillary Clinton", "indirect"),
        gold_claim("the campaign is worried", "aides", "according_to"),
    ],
)


def pred(content: str, speaker: str | None, kind: str, mention: str | None = None, n: int = 0) -> Claim:
    start, end = at(content)
    span = None
    if mention is not None:
        ms, me = at(mention)
        span = Span.of(TEXT, ms, me)
    return Claim(
        article_id="a1",
        claim_id=f"c{n}",
        text=TEXT[start:end],
        start_char=start,
        end_char=end,
        kind=kind,
        speaker=speaker,
        speaker_mention=span,
    )


def perfect() -> list[Claim]:
    return [
        pred('"We will build the wall,"', "Donald Trump", "direct", "Donald Trump", 0),
        pred("the plan was unworkable", "Hillary Clinton", "indirect", "Hillary Clinton", 1),
        pred("the campaign is worried", "aides", "according_to", "aides", 2),
    ]


def test_perfect_prediction_scores_one_everywhere():
    m = score([GOLD], {"a1": perfect()})
    for key in ("content", "exact", "end_to_end"):
        assert m[key] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert m["speaker"]["accuracy"] == 1.0
    assert m["counts"] == {
        "articles": 1,
        "gold": 3,
        "predicted": 3,
        "matched": 3,
        "exact": 3,
        "speaker_correct": 3,
        "unscored_articles": 0,
    }
    assert all(v["recall"] == 1.0 for v in m["recall_by_gold_kind"].values())
    assert all(v["precision"] == 1.0 for v in m["precision_by_predicted_kind"].values())


def test_missed_claim_lowers_recall_only():
    m = score([GOLD], {"a1": perfect()[:2]})
    assert m["content"]["precision"] == 1.0
    assert m["content"]["recall"] == pytest.approx(2 / 3)
    assert m["end_to_end"]["recall"] == pytest.approx(2 / 3)
    assert m["counts"]["matched"] == 2
    assert m["recall_by_gold_kind"]["according_to"] == {"gold": 1, "matched": 0, "recall": 0.0}


def test_spurious_claim_lowers_precision_only():
    extra = pred("on Monday", None, "indirect", None, 9)
    m = score([GOLD], {"a1": [*perfect(), extra]})
    assert m["content"]["recall"] == 1.0
    assert m["content"]["precision"] == pytest.approx(3 / 4)
    assert m["precision_by_predicted_kind"]["indirect"] == {"predicted": 2, "matched": 1, "precision": 0.5}


def test_wrong_speaker_hurts_end_to_end_not_content():
    claims = perfect()
    claims[1] = pred("the plan was unworkable", "Donald Trump", "indirect", "Donald Trump", 1)
    m = score([GOLD], {"a1": claims})
    assert m["content"]["f1"] == 1.0
    assert m["speaker"]["accuracy"] == pytest.approx(2 / 3)
    assert m["end_to_end"]["precision"] == pytest.approx(2 / 3)
    assert m["end_to_end"]["recall"] == pytest.approx(2 / 3)


def test_speaker_name_agreement_without_span_overlap():
    claims = perfect()
    # No mention span; canonical name differs in case; last-word agreement ("Mr. Trump" vs "Donald Trump").
    claims[0] = pred('"We will build the wall,"', "donald trump", "direct", None, 0)
    claims[1] = pred("the plan was unworkable", "Mrs. Clinton", "indirect", None, 1)
    m = score([GOLD], {"a1": claims})
    assert m["speaker"]["accuracy"] == 1.0


def test_unsourced_gold_choice():
    gold = LabeledArticle(id="a1", text=TEXT, claims=[gold_claim("the plan was unworkable", None, "indirect")])
    claims = [pred("the plan was unworkable", "Hillary Clinton", "indirect", "Hillary Clinton")]
    assert score([gold], {"a1": claims})["speaker"]["accuracy"] == 1.0
    assert score([gold], {"a1": claims}, unsourced="none")["speaker"]["accuracy"] == 0.0


def test_exact_differs_from_overlap():
    claims = perfect()
    # Quote marks and final comma are trimmed for exact match: still exact.
    claims[0] = pred("We will build the wall", "Donald Trump", "direct", "Donald Trump", 0)
    # One word short: overlaps, but not exact.
    claims[1] = pred("plan was unworkable", "Hillary Clinton", "indirect", "Hillary Clinton", 1)
    m = score([GOLD], {"a1": claims})
    assert m["content"]["f1"] == 1.0
    assert m["counts"]["exact"] == 2
    assert m["exact"]["precision"] == pytest.approx(2 / 3)
    assert m["exact"]["recall"] == pytest.approx(2 / 3)


def test_kind_recall_and_precision():
    claims = perfect()
    claims[0] = pred('"We will build the wall,"', "Donald Trump", "mixed", "Donald Trump", 0)
    del claims[2]
    m = score([GOLD], {"a1": claims})
    assert m["recall_by_gold_kind"] == {
        "direct": {"gold": 1, "matched": 1, "recall": 1.0},
        "indirect": {"gold": 1, "matched": 1, "recall": 1.0},
        "according_to": {"gold": 1, "matched": 0, "recall": 0.0},
    }
    assert m["precision_by_predicted_kind"] == {
        "mixed": {"predicted": 1, "matched": 1, "precision": 1.0},
        "indirect": {"predicted": 1, "matched": 1, "precision": 1.0},
    }


def test_greedy_matching_is_one_to_one_and_prefers_larger_overlap():
    # pred 0 overlaps gold 0 by 6 and gold 1 by 4; pred 1 overlaps only gold 0 (by 3): greedy takes (gold 0, pred 0)
    # first, after which neither remaining pair is allowed.
    pairs = greedy_match([range(10), range(6, 10)], [range(4, 10), range(3)])
    assert pairs == [(0, 0, 6)]
    pairs = greedy_match([range(4), range(4, 10)], [range(2, 10)])
    assert pairs == [(1, 0, 6)]


def test_tokens_and_trim():
    tokens = Tokens("He said: “no.”")
    assert list(tokens.positions(0, 2)) == [0]
    assert list(tokens.positions(1, 9)) == [0, 1, 2]
    assert tokens.positions(3, 3) == range(0)
    text = "  “no, never.”  "
    assert text[slice(*trim(text, 0, len(text)))] == "no, never"


def test_missing_article_and_unscored_ids():
    m = score([GOLD], {"other": perfect()})
    assert m["counts"]["predicted"] == 0
    assert m["counts"]["unscored_articles"] == 1
    assert m["content"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


def test_format_table_renders():
    m = score([GOLD], {"a1": perfect()[:2]})
    table = format_table(m)
    assert isinstance(table, Table)
    console = Console(file=io.StringIO(), width=140, record=True)
    console.print(table)
    out = console.export_text()
    assert "content (any overlap)" in out and "gold according_to" in out and "66.7" in out


@pytest.mark.parametrize(
    ("gold", "predicted", "agree"),
    [
        ("Mike Pompeo", "Pompeo", True),
        ("the White House", "White House", True),
        ("Felipe Calderón", "Felipe Calderon", True),
        ("Chuck Schumer", "Charles E. Schumer", True),
        ("Dick Durbin", "Richard J. Durbin", True),
        ("Bill Clinton", "William Clinton", True),
        ("Hillary Clinton", "William Clinton", False),
        ("Donald Trump", "Donald Trump Jr.", False),
        ("Donald Trump", "Donald", False),
        ("Ольга Петрова", "Ольга Петрова", True),
        ("Mike Pompeo", "Pompeo’s", True),
        ("Hillary Clinton", "Bill Clinton", False),
        ("Donald Trump", "Ann Coulter", False),
        ("Donald Trump", None, False),
        (
            "former secretaries of Homeland Security",
            "Every former secretary of the Department of Homeland Security",
            True,
        ),
        ("Republican senators", "Republican senator", True),
        ("Republican senators", "Democratic senators", False),
    ],
)
def test_names_agree(gold, predicted, agree):
    from pipeline.evaluation.attribution_metrics import names_agree

    assert names_agree(gold, predicted) is agree


@pytest.mark.parametrize(
    ("gold", "predicted", "agree"),
    [
        ("Bozell", "Brent Bozell III", True),
        ("Mr. Biden", "Joseph R. Biden Jr.", True),
        ("Ben Jealous, the former president of the NAACP,", "Ben Jealous", True),
        ("Sen. John McCain (R-AZ)", "John McCain", True),
        ("The Ethiopian marathoner Feyisa Lilesa, who won the silver medal", "Feyisa Lilesa", True),
        ("Donald Trump", "Trump", True),
        ("Donald Trump", "Donald Trump Jr.", False),
        ("Donald Trump Jr.", "Donald Trump", False),
        ("Erin Brockovich, the activist,", "Bernie Sanders", False),
        ("Cruz spokesman Rick Tyler", "Ted Cruz", False),
        ("FEC records", None, False),
        ("the president, Donald Trump", "Donald Trump", True),
        ("his father, Brent Bozell, Jr.", "L. Brent Bozell Jr.", True),
        ("Donald Trump, Jr.", "Donald J. Trump Jr.", True),
        ("Donald Trump, Jr.", "Donald Trump", False),
        ("Trump Jr.", "Donald Trump", False),
        ("Rick Tyler, a spokesman for Ted Cruz", "Ted Cruz", False),
        ("Ben Jealous, the former president of the NAACP,", "the NAACP", False),
        ("Democracy for America, a digital progressive activism outfit", "digital progressive activism outfit", True),
    ],
)
def test_speaker_surname_agreement(gold, predicted, agree):
    from pipeline.evaluation.attribution_metrics import same_surname

    assert same_surname(gold, predicted) is agree


def test_actor_accuracy_scores_the_resolved_name_not_the_mention():
    claims = perfect()
    # the mention overlaps the gold source, so the speaker is right; the resolved actor is someone else
    claims[1] = claims[1].model_copy(update={"speaker": "Bill Clinton"})
    m = score([GOLD], {"a1": claims}, canonical_names=True)
    assert m["speaker"]["accuracy"] == 1.0
    assert m["actor"] == {"accuracy": 2 / 3, "correct": 2, "scored": 3}
    assert "actor" not in score([GOLD], {"a1": claims})
    unnamed = GOLD.model_copy(
        update={"claims": [c.model_copy(update={"speaker": "unnamed source"}) for c in GOLD.claims]}
    )
    assert score([unnamed], {"a1": claims}, canonical_names=True)["actor"]["scored"] == 0
