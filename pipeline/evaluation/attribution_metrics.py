"""Scores for attribution extraction: predicted ``Claim``s against gold ``LabeledArticle``s. Pure functions.

Per article, predicted claim spans are matched one-to-one to gold content spans by token overlap, greedily:
tokens are ``\\w+|[^\\w\\s]`` over the article text, a span holds every token it touches, the overlap of two spans is
the number of token positions they share; candidate pairs (overlap >= 1) are taken in order of overlap, largest
first (ties: gold order, then prediction order), each gold claim and each prediction at most once.

- ``content``: P/R/F1 of that "any overlap" matching.
- ``exact``: P/R/F1 of spans identical after trimming whitespace and quote marks from both ends and final
  punctuation from the end (a one-to-one matching of its own, independent of the overlap matching).
- ``speaker``: accuracy over the matched pairs. Correct when the predicted ``speaker_mention`` overlaps the gold
  source span by >= 1 char, or the names agree: normalized predicted ``speaker`` == gold ``speaker``, or the last
  word of the predicted mention text or of the predicted speaker == the last word of the gold source (its head
  before an apposition or a parenthesis, without titles or a "Jr."; two full names that differ in a suffix do not
  agree: ``same_surname``). A gold claim
  without a source span is correct whatever the prediction says (``unsourced="any"``, the default) or only when
  the prediction has no speaker either (``unsourced="none"``).
- ``end_to_end``: P/R/F1 where a true positive is a matched pair with a correct speaker.
- ``actor`` (only with ``canonical_names``, for gold that names each speaker canonically, as the project's own
  annotations do: "Mike Pompeo" for a claim whose mention is "he"): accuracy of the resolved ``speaker`` over the
  matched pairs whose gold speaker is named ("unnamed source" is left out). This is what groups claims into actors,
  so a pronoun given to the wrong person is wrong here even when the mention is right. Names agree when they are
  equal after dropping accents, case, punctuation, a possessive and a leading article, or when they end in the same
  word and one's words are a subset of the other's ("Pompeo" and "Mike Pompeo") or their first words share an
  initial or are a nickname and its name ("Chuck Schumer" and "Charles E. Schumer", "Dick Durbin" and "Richard J.
  Durbin"; not "Donald Trump" and "Donald Trump Jr.").
- ``recall_by_gold_kind`` and ``precision_by_predicted_kind``; gold claims with no kind count under "unknown".

Predictions for article ids that are not in ``gold`` are not scored (``counts["unscored_articles"]``).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence

from rich.table import Table

from pipeline.actors.corpus import LEADING_TITLES, SUFFIXES, nickname
from pipeline.data.labeled import LabeledArticle, LabeledClaim
from pipeline.records import Claim

TOKEN = re.compile(r"\w+|[^\w\s]")
WORD = re.compile(r"\w+")
QUOTES = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb"
FINAL_PUNCT = ".,;:!?\u2026-\u2013\u2014"
KINDS = ("direct", "mixed", "indirect", "according_to")


class Tokens:
    """Token boundaries of one text, for turning a character span into the token positions it touches."""

    def __init__(self, text: str) -> None:
        spans = [m.span() for m in TOKEN.finditer(text)]
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]

    def positions(self, start: int, end: int) -> range:
        """Indices of tokens with at least one character in ``[start, end)``."""
        if end <= start:
            return range(0)
        return range(bisect_right(self.ends, start), bisect_left(self.starts, end))


def token_overlap(a: range, b: range) -> int:
    return max(0, min(a.stop, b.stop) - max(a.start, b.start))


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Strip whitespace and quote marks from both ends and final punctuation from the end."""
    start, end = max(0, start), min(len(text), end)
    while start < end and (text[start].isspace() or text[start] in QUOTES):
        start += 1
    while start < end and (text[end - 1].isspace() or text[end - 1] in QUOTES or text[end - 1] in FINAL_PUNCT):
        end -= 1
    return start, end


def greedy_match(gold: Sequence[range], predicted: Sequence[range]) -> list[tuple[int, int, int]]:
    """One-to-one (gold index, predicted index, overlap) pairs, largest overlap first, overlap >= 1."""
    candidates = [
        (overlap, g, p)
        for g, gr in enumerate(gold)
        for p, pr in enumerate(predicted)
        if (overlap := token_overlap(gr, pr)) >= 1
    ]
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs = []
    for overlap, g, p in candidates:
        if g in used_gold or p in used_pred:
            continue
        used_gold.add(g)
        used_pred.add(p)
        pairs.append((g, p, overlap))
    return pairs


def _norm(name: str | None) -> str:
    return " ".join(WORD.findall(name.lower())) if name else ""


COMMA_SUFFIX = re.compile(r",\s*(Jr|Sr|II|III|IV)\b\.?")  # "Brent Bozell, Jr." is "Brent Bozell Jr."
PARENTHESIS = re.compile(r"\([^)]*\)?")


def _surnames(name: str | None) -> list[tuple[str, str, bool]]:
    """Each way a name may end in a surname, with its generational suffix and whether a given name comes before it
    (titles aside): the words before an apposition ("Ben Jealous, the former president of the NAACP," ends in
    "jealous"), the last part after a comma that starts with a capital ("the president, Donald Trump" in "trump"),
    and the whole where it ends in a description's noun ("Democracy for America, a digital activism outfit"); without
    parentheses ("Sen. John McCain (R-AZ)"); "Brent Bozell III" ends in "bozell", suffix "iii"."""
    parts = PARENTHESIS.sub(" ", COMMA_SUFFIX.sub(r" \1", name or "")).split(",")
    heads = [re.split(r"\bwho\b", parts[0])[0]]
    heads += [p for p in parts[1:] if p.strip()[:1].isupper()][-1:]
    whole = ",".join(parts)
    if re.search(r"\b[a-z]\w*\W*$", whole):  # a description's noun, as before: "Democracy for America, a ... outfit"
        heads.append(whole)
    out = []
    for head in heads:
        words = name_words(head)  # "Bolton’s" ends in "bolton", not in "s"
        while len(words) > 1 and words[0] in LEADING_TITLES:
            words = words[1:]
        suffix = words.pop() if len(words) > 1 and words[-1] in SUFFIXES else ""
        if words:
            out.append((words[-1], suffix, len(words) > 1))
    return out


def same_surname(gold: str | None, predicted: str | None) -> bool:
    """Whether a predicted name ends in the gold name's surname: "Bozell" and "Brent Bozell III", "Mr. Biden" and
    "Joseph R. Biden Jr.", but not where one has a suffix the other lacks and the gold says more than a surname
    ("Donald Trump" and "Donald Trump Jr.", "Trump Jr." and "Donald Trump")."""
    return any(
        g[0] == p[0] and (g[1] == p[1] or not (g[1] or g[2])) for g in _surnames(gold) for p in _surnames(predicted)
    )


def speaker_correct(gold: LabeledClaim, pred: Claim, unsourced: str = "any") -> bool:
    if gold.speaker_start_char is None or gold.speaker_end_char is None:
        return unsourced == "any" or (pred.speaker is None and pred.speaker_mention is None)
    mention = pred.speaker_mention
    if (
        mention is not None
        and mention.start_char < gold.speaker_end_char
        and gold.speaker_start_char < mention.end_char
    ):
        return True
    if pred.speaker and gold.speaker and _norm(pred.speaker) == _norm(gold.speaker):
        return True
    return same_surname(gold.speaker, mention.text if mention else None) or same_surname(gold.speaker, pred.speaker)


UNNAMED = "unnamed source"


def name_words(name: str | None) -> list[str]:
    """The words of a name, folded and in the singular, without a leading article ("former secretaries of Homeland
    Security" and "Every former secretary of the Department of Homeland Security" share their words; a name's final
    s goes on both sides alike)."""
    plain = re.sub(r"['\u2019]s\b", "", name or "")
    plain = "".join(c for c in unicodedata.normalize("NFKD", plain) if unicodedata.category(c) != "Mn")
    words = [_singular(w) for w in WORD.findall(plain.casefold())]
    while words and words[0] in ("the", "a", "an"):
        words = words[1:]
    return words


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def names_agree(gold: str | None, predicted: str | None) -> bool:
    """Whether a predicted actor name names the gold speaker (see the module docstring)."""
    g, p = name_words(gold), name_words(predicted)
    if not g or not p:
        return False
    if g == p:
        return True
    if g[-1] != p[-1]:
        return False  # "Donald Trump" is not "Donald Trump Jr." nor "Donald"
    if set(p) <= set(g) or set(g) <= set(p):
        return True
    # "Susan E. Rice" / "Susan Rice", "Richard J. Durbin" / "Dick Durbin"
    return len(g) > 1 and len(p) > 1 and (g[0][0] == p[0][0] or nickname(g[0], p[0]) or nickname(p[0], g[0]))


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def score(
    gold: list[LabeledArticle],
    predicted: dict[str, list[Claim]],
    unsourced: str = "any",
    canonical_names: bool = False,
) -> dict:
    """Compare predicted claims (article id -> claims) with the gold articles (their text must be filled in)."""
    if unsourced not in ("any", "none"):
        raise ValueError(f"unsourced must be 'any' or 'none', not {unsourced!r}")
    n_gold = n_pred = matched = exact = speaker_ok = actor_n = actor_ok = 0
    gold_kind: Counter[str] = Counter()
    gold_kind_hit: Counter[str] = Counter()
    pred_kind: Counter[str] = Counter()
    pred_kind_hit: Counter[str] = Counter()
    for article in gold:
        if article.text is None:
            raise ValueError(f"{article.id}: gold article has no text (resolve it first)")
        text = article.text
        tokens = Tokens(text)
        gclaims = list(article.claims)
        pclaims = list(predicted.get(article.id, []))
        n_gold += len(gclaims)
        n_pred += len(pclaims)
        gold_kind.update(c.kind or "unknown" for c in gclaims)
        pred_kind.update(c.kind for c in pclaims)
        granges = [tokens.positions(c.start_char, c.end_char) for c in gclaims]
        pranges = [tokens.positions(c.start_char, c.end_char) for c in pclaims]
        for g, p, _ in greedy_match(granges, pranges):
            matched += 1
            gold_kind_hit[gclaims[g].kind or "unknown"] += 1
            pred_kind_hit[pclaims[p].kind] += 1
            speaker_ok += speaker_correct(gclaims[g], pclaims[p], unsourced)
            if canonical_names and gclaims[g].speaker and gclaims[g].speaker.lower() != UNNAMED:
                actor_n += 1
                actor_ok += names_agree(gclaims[g].speaker, pclaims[p].speaker)
        gtrim = Counter(trim(text, c.start_char, c.end_char) for c in gclaims)
        ptrim = Counter(trim(text, c.start_char, c.end_char) for c in pclaims)
        exact += sum((gtrim & ptrim).values())
    unscored = len(set(predicted) - {a.id for a in gold})

    def order(keys: set[str]) -> list[str]:
        return [k for k in KINDS if k in keys] + sorted(keys - set(KINDS))

    out = {
        "counts": {
            "articles": len(gold),
            "gold": n_gold,
            "predicted": n_pred,
            "matched": matched,
            "exact": exact,
            "speaker_correct": speaker_ok,
            "unscored_articles": unscored,
        },
        "content": prf(matched, n_pred, n_gold),
        "exact": prf(exact, n_pred, n_gold),
        "speaker": {"accuracy": speaker_ok / matched if matched else 0.0, "correct": speaker_ok, "matched": matched},
        "end_to_end": prf(speaker_ok, n_pred, n_gold),
        "recall_by_gold_kind": {
            k: {"gold": gold_kind[k], "matched": gold_kind_hit[k], "recall": gold_kind_hit[k] / gold_kind[k]}
            for k in order(set(gold_kind))
        },
        "precision_by_predicted_kind": {
            k: {"predicted": pred_kind[k], "matched": pred_kind_hit[k], "precision": pred_kind_hit[k] / pred_kind[k]}
            for k in order(set(pred_kind))
        },
        "options": {"unsourced": unsourced, "canonical_names": canonical_names},
    }
    if canonical_names:
        out["actor"] = {"accuracy": actor_ok / actor_n if actor_n else 0.0, "correct": actor_ok, "scored": actor_n}
    return out


def format_table(metrics: dict, title: str = "Attribution extraction") -> Table:
    """The output of ``score`` as one rich table: a row per metric, with its P / R / F1 (or accuracy) and counts."""
    table = Table(title=title)
    for name, justify in (("metric", "left"), ("P", "right"), ("R", "right"), ("F1 / acc", "right"), ("n", "right")):
        table.add_column(name, justify=justify)
    counts = metrics["counts"]
    n = f"{counts['predicted']} pred / {counts['gold']} gold"

    def pct(x: float) -> str:
        return f"{100 * x:.1f}"

    for key, label in (
        ("content", "content (any overlap)"),
        ("exact", "content (exact)"),
        ("end_to_end", "end to end"),
    ):
        m = metrics[key]
        table.add_row(label, pct(m["precision"]), pct(m["recall"]), pct(m["f1"]), n)
    sp = metrics["speaker"]
    table.add_row(
        f"speaker (unsourced={metrics['options']['unsourced']})",
        "",
        "",
        pct(sp["accuracy"]),
        f"{sp['correct']} / {sp['matched']} matched",
    )
    if "actor" in metrics:
        ac = metrics["actor"]
        table.add_row("actor (resolved name)", "", "", pct(ac["accuracy"]), f"{ac['correct']} / {ac['scored']} named")
    table.add_section()
    for kind, m in metrics["recall_by_gold_kind"].items():
        table.add_row(f"gold {kind}", "", pct(m["recall"]), "", f"{m['matched']} / {m['gold']}")
    for kind, m in metrics["precision_by_predicted_kind"].items():
        table.add_row(f"predicted {kind}", pct(m["precision"]), "", "", f"{m['matched']} / {m['predicted']}")
    table.add_section()
    table.add_row(
        "counts",
        "",
        "",
        "",
        f"{counts['articles']} articles, {counts['gold']} gold, {counts['predicted']} pred, "
        f"{counts['matched']} matched, {counts['exact']} exact",
    )
    return table
