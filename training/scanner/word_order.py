"""Whether a reader that sees word order catches more: a 1-D convolution over the token table's rows of each
sentence, max-pooled, beside the scanner's own features, against the same features alone trained the same
way (Adam, mini-batches). Judged as `compare.py` judges: the bar for a held-out false-alarm rate on four
folds of the training servers, dev's recall learned from nothing of dev, and with --lofo each of the seven
content intents left out in turn.

    npm run scanner:features -- --ids      # artifacts/scanner-features/units.{f32,json,ids.i32,offsets.i32}
    pip install -r training/scanner/requirements.txt torch
    python3 training/scanner/word_order.py [--channels 32 --word-drop 0.3 ...] [--features-only] [--lofo]

With 32 filters and six passes a run takes about 4 minutes on two cores, with --lofo about 10.
"""
import argparse
import os
import sys
import time

import numpy as np
import torch

from compare import judge, load, weights

ap = argparse.ArgumentParser()
ap.add_argument('--features', default='artifacts/scanner-features/units')
ap.add_argument('--table', default='resources/scanner/token-vectors.bin')
ap.add_argument('--features-only', action='store_true', help='no convolution: the baseline')
ap.add_argument('--channels', type=int, default=32)
ap.add_argument('--width', type=int, default=3)
ap.add_argument('--epochs', type=int, default=6)
ap.add_argument('--lr', type=float, default=3e-3)
ap.add_argument('--decay', type=float, default=1e-3, help='L2 on the output weights')
ap.add_argument('--conv-decay', type=float, default=1e-3, help='L2 on the convolution')
ap.add_argument('--word-drop', type=float, default=0.0, help='share of tokens hidden in training')
ap.add_argument('--lofo', action='store_true')
ap.add_argument('--threads', type=int, default=2)
ap.add_argument('--seed', type=int, default=0)
a = ap.parse_args()
torch.set_num_threads(a.threads)

MAX_TOKENS = 96

for ext in ('json', 'f32', 'ids.i32', 'offsets.i32'):
    if not os.path.exists(f'{a.features}.{ext}'):
        sys.exit(f'{a.features}.{ext} is missing: write it with `npm run scanner:features -- --ids`')
meta, x = load(a.features, 'table')
y = np.array([r['y'] for r in meta['rows']])
foreign = np.array([r['foreign'] for r in meta['rows']], dtype=bool)
flat = np.fromfile(a.features + '.ids.i32', dtype=np.int32)
offsets = np.fromfile(a.features + '.offsets.i32', dtype=np.int32)
lengths = np.minimum(offsets[1:] - offsets[:-1], MAX_TOKENS)
X = torch.tensor(x)


def token_rows(file):
    """The int8 table (see src-main/core/security/meaning/token-table.ts), each row at unit length × 16 (entries about 1)."""
    buf = open(file, 'rb').read()
    rows, dims = (int(v) for v in np.frombuffer(buf, dtype='<u4', count=2, offset=8))
    scales = np.frombuffer(buf, dtype='<f4', count=rows, offset=16)
    raw = np.frombuffer(buf, dtype=np.int8, count=rows * dims, offset=16 + rows * 4).reshape(rows, dims) * scales[:, None]
    return torch.tensor((raw / np.maximum(np.linalg.norm(raw, axis=1, keepdims=True), 1e-6) * 16).astype(np.float32))


table = token_rows(a.table)


class Reader(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.features = torch.nn.Linear(x.shape[1], 1)
        if not a.features_only:
            self.conv = torch.nn.Conv1d(table.shape[1], a.channels, a.width, padding=a.width // 2)
            self.out = torch.nn.Linear(a.channels, 1, bias=False)
            torch.nn.init.zeros_(self.out.weight)

    def forward(self, feats, ids, mask):
        z = self.features(feats).squeeze(1)
        if a.features_only:
            return z
        if self.training and a.word_drop:
            mask = mask & (torch.rand(mask.shape) >= a.word_drop)
        e = (table[ids] * mask[:, :, None]).transpose(1, 2)
        # After the ReLU every value is at least 0, so zeroed padding never wins the max.
        h = torch.relu(self.conv(e)).masked_fill(~mask[:, None, :], 0).amax(2)
        return z + self.out(h).squeeze(1)

    def penalty(self):
        p = a.decay * (self.features.weight ** 2).sum()
        if not a.features_only:
            p = p + a.decay * (self.out.weight ** 2).sum() + a.conv_decay * (self.conv.weight ** 2).sum()
        return p


def batch(units):
    width = max(int(lengths[units].max()), 1)
    ids = np.zeros((len(units), width), dtype=np.int64)
    mask = np.zeros((len(units), width), dtype=bool)
    for r, i in enumerate(units):
        t = flat[offsets[i]:offsets[i] + lengths[i]]
        ids[r, :len(t)] = t
        mask[r, :len(t)] = True
    return X[units], torch.tensor(ids), torch.tensor(mask)


def shuffled_batches(units, size, rng):
    """Random batches of similar lengths, so little of each is padding."""
    units = units[rng.permutation(len(units))]
    out = []
    for s in range(0, len(units), size * 50):
        chunk = units[s:s + size * 50]
        chunk = chunk[np.argsort(lengths[chunk], kind='stable')]
        out += [chunk[i:i + size] for i in range(0, len(chunk), size)]
    return [out[i] for i in rng.permutation(len(out))]


def fit(units):
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)
    where = np.full(len(y), -1)
    where[units] = np.arange(len(units))
    target = torch.tensor((y[units] > 0).astype(np.float32))
    w = torch.tensor(weights(y[units], foreign[units]).astype(np.float32))
    m = Reader()
    opt = torch.optim.Adam(m.parameters(), lr=a.lr)
    n = len(units)
    start = time.time()
    for epoch in range(a.epochs):
        total = 0.0
        for b in shuffled_batches(units, 256, rng):
            k = torch.tensor(where[b])
            z = m(*batch(b))
            loss = (torch.nn.functional.binary_cross_entropy_with_logits(z, target[k], reduction='none') * w[k]).sum() / n
            opt.zero_grad()
            (loss + m.penalty() * len(b) / n).backward()
            opt.step()
            total += float(loss.detach())
        print(f'  pass {epoch + 1}: loss {total:.4f}, {time.time() - start:.0f} s', flush=True)
    m.eval()

    def score(us):
        out = np.zeros(len(us))
        order = np.argsort(lengths[us], kind='stable')
        with torch.no_grad():
            for s in range(0, len(us), 1024):
                sel = order[s:s + 1024]
                out[sel] = m(*batch(us[sel])).numpy()
        return out
    return score


judge(meta, fit, 'the features alone' if a.features_only else f'word order, {a.channels} filters', a.lofo)
