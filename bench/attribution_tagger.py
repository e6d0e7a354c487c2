"""The attribution tagger for reported speech: research code, not part of the product.

Reported speech ("Trump said that Japan would ...") has no quotation marks to find. A
linear-chain CRF trained on PolNeAR's train split (``bench/train_quotes.py``, python-crfsuite)
marks source, cue and content from words, parts of speech, entities, the dependency path to
the nearest cue candidate and where its arguments begin and end; its weights are saved as
numpy arrays and decoded here by Viterbi. ``combine_attributions`` adds its spans to the
quotation rules' direct attributions (``newsprism.compare.quotes.attributions``).

Why it is not in the package, and what it scores: docs/decisions/quotations.md.
"""
from __future__ import annotations

import sys
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsprism.compare.quotes import SPEECH_VERBS  # noqa: E402
from newsprism.compare.quotes import attributions as rule_attributions  # noqa: E402
from newsprism.model import Span  # noqa: E402
from newsprism.spans import overlaps_any  # noqa: E402
from newsprism.text.nlp import load_nlp  # noqa: E402
from newsprism.text.quotation_marks import DOUBLE, DOUBLE_MARK, quote_pairs  # noqa: E402

ROLES = ("source", "cue", "content")
MODEL = ROOT / "bench" / "results" / "quotes_tagger.npz"  # bench/train_quotes.py writes it

FEATURE_SEPARATOR = "\x1f"  # joins feature names in the model file (a token may hold a newline)


def _shape(word: str) -> str:
    if word.isdigit():
        return "d"
    if word.isupper() and len(word) > 1:
        return "XX"
    if word[:1].isupper():
        return "Xx"
    if word.isalpha():
        return "x"
    return "p"


_CLAUSE_DEPS = {"ccomp", "advcl", "relcl", "xcomp", "conj", "parataxis", "acl"}
_ARG_DEPS = {"nsubj", "nsubjpass", "ccomp", "dobj", "xcomp", "advcl", "prep", "pobj", "agent", "attr",
             "parataxis", "conj", "npadvmod"}


def attribution_features(doc, cue_words: frozenset[str], quoted: Sequence[bool]) -> list[list[str]]:
    """Features of each token of a parsed spaCy ``doc`` for the attribution tagger.

    ``cue_words`` are the word forms that can open an attribution (learned from training
    data); ``quoted`` says which tokens lie inside quotation marks. Besides the word, its
    shape, part of speech, entity label and neighbours (three each side), a token carries its
    dependency label with its head's and grandparent's, and the path up the parse to the
    nearest cue candidate (a speech verb or a learned cue word): "the subject of 'said'",
    "inside the complement of 'believes'".
    """
    toks = list(doc)
    n = len(toks)
    lower = [t.text.lower() for t in toks]
    cand = [w in cue_words or w in SPEECH_VERBS for w in lower]
    sent_cands: dict[int, list[int]] = defaultdict(list)
    for i, t in enumerate(toks):
        if cand[i] and t.pos_ in {"VERB", "AUX", "NOUN", "ADP"}:
            sent_cands[t.sent.start].append(i)

    # where the arguments of a cue candidate and the clauses of a sentence begin and end
    edges: dict[int, list[str]] = defaultdict(list)
    for i, t in enumerate(toks):
        if t.dep_ in _CLAUSE_DEPS:
            edges[t.left_edge.i].append("cl_l=" + t.dep_)
            edges[t.right_edge.i].append("cl_r=" + t.dep_)
        if cand[i] and t.pos_ in {"VERB", "AUX", "NOUN", "ADP"}:
            for c in t.children:
                if c.dep_ in _ARG_DEPS:
                    edges[c.left_edge.i].append("arg_l=" + c.dep_)
                    edges[c.right_edge.i].append("arg_r=" + c.dep_)

    def at(j: int, what) -> str:
        return what(j) if 0 <= j < n else "<s>"

    feats = []
    for i, t in enumerate(toks):
        w = lower[i]
        h = t.head
        f = ["b", "w=" + w, "s3=" + w[-3:], "p3=" + w[:3], "sh=" + _shape(t.text), "p=" + t.pos_,
             "t=" + t.tag_, "d=" + t.dep_, "hw=" + h.text.lower(), "hp=" + h.pos_, "hd=" + h.dep_,
             "q=" + str(quoted[i]), "e=" + t.ent_iob_ + t.ent_type_, "dhw=" + t.dep_ + "|" + h.text.lower(),
             "dhd=" + t.dep_ + "|" + h.dep_, "ghd=" + h.head.dep_ + "|" + h.dep_ + "|" + t.dep_]
        f += edges.get(i, [])
        if i > 0:
            f += [x + "-1" for x in edges.get(i - 1, []) if x.startswith(("arg_r", "cl_r"))]
        if t.is_sent_start:
            f.append("ss")
        if i + 1 < n and toks[i + 1].is_sent_start:
            f.append("se")
        if i == 0 or "\n" in toks[i - 1].text or "\n" in toks[i - 1].whitespace_:
            f.append("par0")
        for k in (-3, -2, -1, 1, 2, 3):
            f.append(f"w{k}=" + at(i + k, lambda j: lower[j]))
            if abs(k) <= 2:
                f.append(f"p{k}=" + at(i + k, lambda j: toks[j].pos_))
                f.append(f"q{k}=" + at(i + k, lambda j: str(quoted[j])))
        f.append("w-1w=" + at(i - 1, lambda j: lower[j]) + "|" + w)
        f.append("ww1=" + w + "|" + at(i + 1, lambda j: lower[j]))
        f.append("p-1p=" + at(i - 1, lambda j: toks[j].pos_) + "|" + t.pos_)
        f.append("pp1=" + t.pos_ + "|" + at(i + 1, lambda j: toks[j].pos_))
        deps = {c.dep_ for c in t.children}
        if cand[i]:
            f += ["cand", "cand_w=" + w, "cand_d=" + t.dep_, "cand_p=" + t.pos_]
            f += ["cand_has=" + d for d in sorted(deps & {"nsubj", "ccomp", "dobj", "xcomp", "nsubjpass",
                                                          "advcl", "prep", "agent"})]
        elif t.pos_ in ("VERB", "AUX") and "ccomp" in deps:
            f.append("v_ccomp")
        # the dependency path up to the nearest cue candidate
        child, node, depth = t, h, 1
        path: list[str] = []
        while node.i != child.i and depth < 12:
            path.append(child.dep_)
            if cand[node.i]:
                f += ["anc=" + child.dep_, f"anc_w={child.dep_}|{lower[node.i]}", f"anc_depth={min(depth, 4)}",
                      "anc_p2=" + "|".join(path[-2:]), f"anc_dd={child.dep_}{min(depth, 4)}"]
                break
            child, node, depth = node, node.head, depth + 1
        else:
            f += ["anc=none", "root_dep=" + child.dep_]
        cands = sent_cands.get(t.sent.start, [])
        if cands:
            nearest = min(cands, key=lambda c: abs(c - i))
            rel = "at" if nearest == i else ("before" if i < nearest else "after")
            dist = min(abs(nearest - i), 8)
            f += ["rel=" + rel, f"rel_d={rel}{dist // 3}", "sent_cand", f"rel_w={rel}|{lower[nearest]}"]
        else:
            f.append("no_cand")
        feats.append(f)
    return feats


def quoted_tokens(text: str, doc) -> list[bool]:
    """For each token, whether it lies inside a pair of quotation marks."""
    inside = [(p.open, p.close + p.close_len) for p in quote_pairs(text)]
    starts = sorted(inside)
    out = []
    for t in doc:
        k = bisect_right(starts, (t.idx, len(text))) - 1
        out.append(k >= 0 and starts[k][0] <= t.idx < starts[k][1])
    return out


@dataclass(frozen=True)
class AttributionTagger:
    """A linear BIO tagger over source/cue/content with Viterbi decoding (a CRF's weights)."""

    labels: tuple[str, ...]
    index: Mapping[str, int]  # feature -> row of ``weights``
    weights: object  # numpy array (features x labels)
    bias: object  # numpy array (labels,)
    transitions: object  # numpy array (labels x labels): log P(next | previous)
    start: object  # numpy array (labels,)
    cue_words: frozenset[str]
    kind: str = "crf"  # "crf": scores are a CRF's potentials; "softmax": per-token log-probabilities

    def scores(self, feats: list[list[str]], outside_penalty: float = 0.0):
        import numpy as np

        out = np.tile(self.bias, (len(feats), 1)).astype(np.float32)
        for i, f in enumerate(feats):
            rows = [self.index[x] for x in f if x in self.index]
            if rows:
                out[i] += self.weights[rows].sum(axis=0)
        if self.kind == "softmax":
            out -= out.max(axis=1, keepdims=True)
            out -= np.log(np.exp(out).sum(axis=1, keepdims=True))
        out[:, self.labels.index("O")] -= outside_penalty  # > 0: more attributions
        return out

    def decode(self, feats: list[list[str]], outside_penalty: float = 0.0) -> list[str]:
        import numpy as np

        if not feats:
            return []
        em = self.scores(feats, outside_penalty)
        n, k = em.shape
        back = np.zeros((n, k), dtype=np.int32)
        score = self.start + em[0]
        for i in range(1, n):
            cand = score[:, None] + self.transitions
            back[i] = cand.argmax(axis=0)
            score = cand.max(axis=0) + em[i]
        path = [int(score.argmax())]
        for i in range(n - 1, 0, -1):
            path.append(int(back[i][path[-1]]))
        return [self.labels[j] for j in reversed(path)]


def allowed_transition(prev: str, nxt: str) -> bool:
    """BIO: an inside tag follows its own role only."""
    return not nxt.startswith("I-") or (prev != "O" and prev[2:] == nxt[2:])


def load_tagger(path: Path = MODEL) -> AttributionTagger:
    """A tagger saved by ``bench/train_quotes.py``."""
    import numpy as np

    data = np.load(path, allow_pickle=False)
    names = str(data["features"]).split(FEATURE_SEPARATOR)
    return AttributionTagger(
        labels=tuple(str(x) for x in data["labels"]),
        index={f: i for i, f in enumerate(names)},
        weights=data["weights"].astype(np.float32),
        bias=data["bias"].astype(np.float32),
        transitions=data["transitions"].astype(np.float32),
        start=data["start"].astype(np.float32),
        cue_words=frozenset(str(data["cue_words"]).split(FEATURE_SEPARATOR)),
        kind=str(data["kind"]) if "kind" in data else "softmax",
    )


def tag_spans(doc, labels: Sequence[str]) -> dict[str, list[Span]]:
    """Runs of B-/I- tags -> character spans per role."""
    out: dict[str, list[Span]] = {r: [] for r in ROLES}
    cur: Optional[tuple[str, int, int]] = None
    toks = list(doc)
    for t, lab in zip(toks, labels):
        if lab.startswith("B-") or (lab.startswith("I-") and (cur is None or cur[0] != lab[2:])):
            if cur:
                out[cur[0]].append((cur[1], cur[2]))
            cur = (lab[2:], t.idx, t.idx + len(t.text))
        elif lab.startswith("I-") and cur:
            cur = (cur[0], cur[1], t.idx + len(t.text))
        else:
            if cur:
                out[cur[0]].append((cur[1], cur[2]))
            cur = None
    if cur:
        out[cur[0]].append((cur[1], cur[2]))
    return out


def tagged_spans(text: str, tagger: AttributionTagger, doc=None,
                 outside_penalty: float = 0.0) -> dict[str, list[Span]]:
    """Source, cue and content spans the tagger marks in a raw text.

    A source span is cut to its phrase (``_clip_to_phrase``); a content span is widened to
    the clause it belongs to, the dependency subtree of its highest word, when no source or
    cue is in the way.
    """
    doc = doc if doc is not None else load_nlp(parser=True)(text)
    feats = attribution_features(doc, tagger.cue_words, quoted_tokens(text, doc))
    keep = [i for i, t in enumerate(doc) if not t.is_space]
    spans = tag_spans([doc[i] for i in keep], tagger.decode([feats[i] for i in keep], outside_penalty))
    starts = [t.idx for t in doc]
    spans["source"] = [_clip_to_phrase(doc, s, starts) for s in spans["source"]]
    others = spans["source"] + spans["cue"]
    spans["content"] = [_widen_content(doc, s, others, starts) for s in spans["content"]]
    spans["content"] = [s for s in spans["content"] if not _quoted_whole(text, s)]
    return spans


def _clip_to_phrase(doc, span: Span, starts: Sequence[int]) -> Span:
    """A source ends with its phrase: 'CITY - Senate leaders met' -> 'Senate leaders'.

    The span is cut to the dependency subtree of its highest word. ``starts`` are the
    tokens' character offsets.
    """
    i, j = bisect_left(starts, span[0]), bisect_left(starts, span[1])
    if j <= i:
        return span
    r = _highest(doc[i:j])
    return _phrase_span(doc, max(r.left_edge.i, i), min(r.right_edge.i + 1, j))


def _highest(tokens):
    """The word of a parsed span nearest the root of its sentence (the first, on a tie): its
    head, the word the rest of the span hangs from; None for no words."""
    return min(tokens, key=lambda t: sum(1 for _ in t.ancestors), default=None)


def _phrase_span(doc, a: int, b: int) -> Span:
    """Characters of tokens a .. b - 1, trailing punctuation and spaces left out."""
    while b > a + 1 and (doc[b - 1].is_punct or doc[b - 1].is_space):
        b -= 1
    return doc[a].idx, doc[b - 1].idx + len(doc[b - 1])


def _widen_content(doc, span: Span, others: Sequence[Span], starts: Sequence[int]) -> Span:
    i, j = bisect_left(starts, span[0]), bisect_left(starts, span[1])
    if j <= i:
        return span

    def clear(a: int, b: int) -> bool:
        return not overlaps_any((doc[a].idx, doc[b - 1].idx + len(doc[b - 1])), others)

    r = _highest(doc[i:j])
    if r is not None:
        a, b = r.left_edge.i, r.right_edge.i + 1
        if a <= i and b >= j and b - a <= 3 * (j - i) + 10 and clear(a, b):
            i, j = a, b
    while j > i + 1 and (doc[j - 1].is_punct or doc[j - 1].is_space) and doc[j - 1].text not in DOUBLE:
        j -= 1
    return doc[i].idx, doc[j - 1].idx + len(doc[j - 1])


def _quoted_whole(text: str, span: Span) -> bool:
    """A span that is one quotation in its marks: the rules' business, not the tagger's."""
    s, e = span
    while s < e and text[s].isspace():
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ".,;:!?"):
        e -= 1
    head = DOUBLE_MARK.match(text, s) or DOUBLE_MARK.match(text, max(0, s - 2), s)
    if head is None:
        k = s
        while k > 0 and text[k - 1] in " \xa0":
            k -= 1
        head = DOUBLE_MARK.search(text, max(0, k - 2), k)
    tail = DOUBLE_MARK.search(text, max(s, e - 2), e)
    if tail is None:
        k = e
        while k < len(text) and text[k] in ".,;:!?":
            k += 1
        tail = DOUBLE_MARK.match(text, k)
    if head is None or tail is None or tail.start() <= head.end():
        return False
    return DOUBLE_MARK.search(text, head.end(), tail.start()) is None


def combine_attributions(text: str, tagger: AttributionTagger, doc=None,
                         outside_penalty: float = 0.0) -> list[dict[str, list[Span]]]:
    """The rules' direct quotations, then the tagger's spans that do not overlap them; a
    tagged cue with no source is given its verb's subject (``_cue_subject``)."""
    doc = doc if doc is not None else load_nlp(parser=True)(text)
    out = rule_attributions(text)
    taken = [s for att in out for r in ROLES for s in att[r]]
    spans = tagged_spans(text, tagger, doc, outside_penalty)
    free = {r: [s for s in spans[r] if not overlaps_any(s, taken)] for r in ROLES}
    starts = [t.idx for t in doc]
    tagged = _pair_tagged(free)
    for att in tagged:
        if att["cue"] and not att["source"]:
            subject = _cue_subject(doc, att["cue"][0], starts)
            if subject and not overlaps_any(subject, att["content"]):
                att["source"].append(subject)
    return out + tagged


_SUBJECT_DEPS = {"nsubj", "csubj"}


def _cue_subject(doc, cue: Span, starts: Sequence[int]) -> Optional[Span]:
    """The subject of a cue's verb, or of the clause a participle cue hangs from.

    The tagger marks some cues without their source: 'Trump spoke to fracking industry
    leaders, promising to lift ...' (the source is the subject of 'spoke', which 'promising'
    modifies as an adverbial clause), 'she has spoken about the need for ...' (the cue's
    highest word, 'spoken', not its first verb, 'has'). A passive subject is what was said
    about, not who said it: a passive's speaker is its agent ('the bill ... was passed by
    Congress'); a noun cue ('sharp criticism') names no speaker through its verb.
    """
    i = bisect_left(starts, cue[0])
    j = max(bisect_left(starts, cue[1]), i + 1)
    top = _highest(doc[i:j])  # 'spoken' of 'has spoken about'
    verb = top if top.pos_ in ("VERB", "AUX") else None  # a noun's ('sharp criticism') is no speaker
    while verb is not None:
        subject = next((c for c in verb.children if c.dep_ in _SUBJECT_DEPS), None)
        if subject is None:  # a passive's agent: 'was passed by Congress'
            agent = next((c for c in verb.children if c.dep_ == "agent"), None)
            subject = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
        if subject is not None:
            a, b = subject.left_edge.i, subject.right_edge.i + 1
            return None if a <= i < b else _phrase_span(doc, a, b)
        if verb.dep_ != "advcl" or verb.head.i == verb.i:
            return None
        verb = verb.head
    return None


def _pair_tagged(spans: dict[str, list[Span]]) -> list[dict[str, list[Span]]]:
    """Tagged spans grouped into attributions: each source and content joins the nearest cue."""
    cues = sorted(spans["cue"])
    groups: list[dict[str, list[Span]]] = [{"source": [], "cue": [c], "content": []} for c in cues]
    loose: list[dict[str, list[Span]]] = []
    for role in ("source", "content"):
        for s in spans[role]:
            if not cues:
                loose.append({"source": [], "cue": [], "content": []} | {role: [s]})
                continue
            k = min(range(len(cues)), key=lambda i: min(abs(cues[i][0] - s[1]), abs(s[0] - cues[i][1])))
            groups[k][role].append(s)
    return groups + loose
