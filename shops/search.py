"""Chinese + English product search: jieba tokens in a PostgreSQL tsvector, pg_trgm as the typo fallback.

See docs/SEARCH.md for the why. In short:
- At write time ``document_tokens`` turns Chinese text into jieba "search mode" words (连衣裙 -> 连衣 衣裙 连衣裙)
  plus every single CJK character (so 裙 alone still matches), and English into lower-cased words.
- PostgreSQL keeps ``Product.search_vector`` (a generated column, config 'simple': no stemming, no stop words)
  with title words weighted A and description words weighted B, under a GIN index.
- At query time ``tsquery_for`` segments the query the same way and builds an AND of prefix terms
  (``连衣裙:* & 红色:*``), so "dress" also finds "dresses". Ranking is ts_rank_cd, weighted by field.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

import jieba

jieba.setLogLevel(logging.WARNING)

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# A token that is safe inside a raw tsquery: letters, digits and CJK only (no operators, quotes or colons).
WORD = re.compile(r"[0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
MAX_QUERY_TERMS = 8


@lru_cache(maxsize=1)
def _warm() -> bool:
    jieba.initialize()
    return True


def words(text: str, *, search_mode: bool) -> list[str]:
    """Lower-cased words of mixed Chinese/English text, segmented by jieba."""
    _warm()
    text = (text or "").lower()
    cut = jieba.cut_for_search(text) if search_mode else jieba.cut(text)
    found: list[str] = []
    for piece in cut:
        found.extend(WORD.findall(piece))
    return found


def document_tokens(*texts: str) -> str:
    """The space-separated token field stored on a product (words, search-mode sub-words, CJK unigrams)."""
    tokens: list[str] = []
    seen: set[str] = set()
    for text in texts:
        for word in words(text, search_mode=True):
            candidates = [word]
            if CJK.search(word) and len(word) > 1:
                candidates.extend(CJK.findall(word))
            for token in candidates:
                if token not in seen:
                    seen.add(token)
                    tokens.append(token)
    return " ".join(tokens)


def query_terms(query: str) -> list[str]:
    """The words of a shopper's query (precise mode: 红色连衣裙 -> 红色, 连衣裙), de-duplicated, bounded."""
    terms: list[str] = []
    for word in words(query[:200], search_mode=False):
        if word not in terms:
            terms.append(word)
    return terms[:MAX_QUERY_TERMS]


def tsquery_for(query: str) -> str | None:
    """A raw tsquery string (AND of prefix terms) or None when the query has no searchable words."""
    terms = query_terms(query)
    if not terms:
        return None
    return " & ".join(f"{term}:*" for term in terms)
