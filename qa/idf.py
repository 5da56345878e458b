"""How informative each term is in this corpus: inverse document frequency over stored chunks.

Used to weigh a question's terms when asking "does the evidence cover what was asked?": a term the
corpus never uses ("population", "World Cup") weighs most, because evidence cannot contain it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

from qa.terms import content_words


class TermWeights:
    def __init__(self, texts: Iterable[str]) -> None:
        df: Counter[str] = Counter()
        n = 0
        for text in texts:
            df.update(content_words(text))
            n += 1
        self._set(df, n)

    @classmethod
    def from_counts(cls, df: Counter[str], n: int) -> TermWeights:
        """Weights from document frequencies counted elsewhere (the persisted keyword index)."""
        weights = cls([])
        weights._set(df, n)
        return weights

    def _set(self, df: Counter[str], n: int) -> None:
        self.n = max(n, 1)
        self.df = df
        self.unseen = math.log(1 + self.n) + 1.0  # an unseen term outweighs every seen one

    def weight(self, term: str) -> float:
        count = self.df.get(term, 0)
        return math.log(1 + self.n / count) if count else self.unseen

    def coverage(self, asked: set[str], present: set[str]) -> float:
        """IDF-weighted share of the asked terms that appear in `present`."""
        if not asked:
            return 0.0
        total = sum(self.weight(t) for t in asked)
        return sum(self.weight(t) for t in asked & present) / total
