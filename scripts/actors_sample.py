"""The cross-article actor check of the attribution issue: the first N BASIL articles about budgets, shutdowns, deals
or negotiations (39 by default), extracted and unified across the corpus; prints each actor with its claim count and
one mention, for reading by hand (a person split in two, a phrase that is no speaker).

    python scripts/actors_sample.py [N] [TAGGER_FOLDER]
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.actors.corpus import unify_actors  # noqa: E402
from pipeline.data.corpora import basil, data_root  # noqa: E402
from pipeline.run.extract import extract_all  # noqa: E402

TOPIC = re.compile(r"budget|shutdown|negotiat|deal", re.IGNORECASE)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 39
    articles = [a for a in basil.iter_articles(data_root()) if TOPIC.search((a.title or "") + a.text[:2000])][:count]
    tagger = None
    if len(sys.argv) > 2:
        from pipeline.attribution.tagger import AttributionTagger

        tagger = AttributionTagger(sys.argv[2])
    claims = unify_actors([c for _, found in extract_all(articles, tagger=tagger) for c in found])
    print(len(articles), "articles", len(claims), "claims")
    for name, n in Counter(c.speaker for c in claims).most_common():
        mention = next((c.speaker_mention.text for c in claims if c.speaker == name and c.speaker_mention), None)
        print(n, repr(name), "|", mention)


if __name__ == "__main__":
    main()
