"""spaCy's tokenizer, with runs of text without white space cut into pieces first.

spaCy's tokenizer splits a run of characters without white space affix by affix, in time that grows with the
square of the run's length: 20,000 quotation marks in a row take 113 s, 30,000 emoji minutes. This tokenizer gives
a text without such a run (every text of the corpus, PolNeAR and the bench: their longest is 87 characters) to
spaCy's tokenizer as it is, and tokenizes a run of more than ``RUN_CHARS`` characters in pieces of ``RUN_CHARS``
(``run_cuts``), so ``nlp(text)`` takes linear time on any text. It is the shipped pipeline's
``[nlp.tokenizer]`` (``kremlin_quotes.Tokenizer.v1``) and reads the base pipeline's tokenizer data (rules,
prefixes, suffixes, infixes) as spaCy's own does; tasks are tokenized with it too (``core.tasks.tokens_of``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from spacy.language import create_tokenizer as spacy_tokenizer
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import registry

if TYPE_CHECKING:
    from spacy.language import Language

NAME = "kremlin_quotes.Tokenizer.v1"
RUN_CHARS = 1_000
_LONG_RUN = re.compile(rf"\S{{{RUN_CHARS + 1},}}")


def config_override() -> dict:
    """The config override that builds a pipeline with this tokenizer (``spacy.load(..., config=...)``,
    ``spacy.blank``); the pipeline's own tokenizer data are then read into it."""
    return {"nlp": {"tokenizer": {"@tokenizers": NAME}}}


def run_cuts(text: str) -> list[int]:
    """Offsets every ``RUN_CHARS`` characters inside each run of more than ``RUN_CHARS`` characters without white
    space: where the text is cut into pieces for spaCy's tokenizer."""
    return [c for m in _LONG_RUN.finditer(text) for c in range(m.start() + RUN_CHARS, m.end(), RUN_CHARS)]


class RunSafeTokenizer(Tokenizer):
    """``spacy.tokenizer.Tokenizer`` that tokenizes runs of over ``RUN_CHARS`` characters without white space in
    pieces, joined into one Doc whose text is the input's."""

    def __call__(self, text: str) -> Doc:
        cuts = run_cuts(text)
        if not cuts:
            return super().__call__(text)
        tokenize = super().__call__  # bound here: a comprehension has no zero-argument super()
        pieces = [tokenize(text[a:b]) for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
        return Doc.from_docs(pieces, ensure_whitespace=False)


@registry.tokenizers(NAME)
def create_tokenizer() -> Callable[[Language], RunSafeTokenizer]:
    """The language's default tokenizer settings, as ``spacy.Tokenizer.v1`` builds them, in a ``RunSafeTokenizer``;
    a pipeline loaded from disk then reads its own tokenizer data into it."""
    make = spacy_tokenizer()

    def factory(nlp: Language) -> RunSafeTokenizer:
        t = make(nlp)
        return RunSafeTokenizer(
            nlp.vocab,
            rules=t.rules,
            prefix_search=t.prefix_search,
            suffix_search=t.suffix_search,
            infix_finditer=t.infix_finditer,
            token_match=t.token_match,
            url_match=t.url_match,
        )

    return factory
