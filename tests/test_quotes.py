from pipeline.text.quotes import find_quotes, paragraphs


def spans(text):
    return [text[q.open : q.close + (1 if q.closed else 0)] for q in find_quotes(text)]


def test_curly_and_straight_quotes():
    text = '“We will not,” she said, "give in."'
    assert spans(text) == ["“We will not,”", '"give in."']


def test_apostrophes_are_not_quotes():
    text = "Pompeo’s aides didn’t say ‘never’ to the talks’ revival."
    assert spans(text) == ["‘never’"]


def test_unbalanced_quote_stops_at_paragraph_end():
    text = "He said “we will walk away.\n\nThe next paragraph is narration.\n\nSo is this one."
    [quote] = find_quotes(text)
    assert not quote.closed
    assert text[quote.open : quote.close] == "“we will walk away."


def test_multi_paragraph_quote_reopens_each_paragraph():
    text = "“First part of the quote.\n\n“Second part,” she said."
    assert spans(text) == ["“First part of the quote.", "“Second part,”"]


def test_paragraph_spans_exclude_blank_lines():
    text = "\n\nOne.\n\n  Two.  \n"
    assert [text[a:b] for a, b in paragraphs(text)] == ["One.", "Two."]


def test_two_apostrophes_are_a_double_quote():
    text = "''It doesn't make me nervous,'' she said of the students' protest. ''Nothing new.''"
    quotes = find_quotes(text)
    assert [text[slice(*q.inner)] for q in quotes] == ["It doesn't make me nervous,", "Nothing new."]
    assert all(q.width == 2 and q.closed and text[q.close : q.end] == "''" for q in quotes)


def test_two_apostrophes_left_open_close_at_the_paragraph():
    text = "''We will not give in, she said.\n\nThe talks resumed."
    [quote] = find_quotes(text)
    assert not quote.closed and text[slice(*quote.inner)] == "We will not give in, she said."


def test_inside_marks_what_within_finds():
    from pipeline.text.quotes import inside, within

    text = "He said “we will ‘never’ go” and left.\n\n“Open to the end of the paragraph\n\nNext."
    quotes = find_quotes(text)
    mask = inside(len(text), quotes)
    assert [bool(m) for m in mask] == [within(quotes, i) for i in range(len(text))]
    assert mask[text.index("never")] and not mask[text.index("left")] and mask[text.index("Open")]


def test_typewriter_quote_then_apostrophes_after_a_word():
    # a closed ''...'' quote, then '' after a word ("1980''s"): no quote without an opening mark
    text = "''Yes,'' she said of the 1980''s."
    [quote] = find_quotes(text)
    assert (quote.open, quote.close, quote.width) == (0, 6, 2)
    from pipeline.text.quotes import inside, within

    mask = inside(len(text), find_quotes(text))  # this used to fail on a quote that had no opening mark
    assert [bool(m) for m in mask] == [within([quote], i) for i in range(len(text))]
    assert mask[text.index("Yes")] and not mask[text.index("1980")]
