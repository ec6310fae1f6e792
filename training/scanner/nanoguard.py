"""An off-the-shelf prompt-injection detector read as a second reader of tool definitions: NanoGuard
(PyPI's metatronnanoguard 0.1.0, MIT). Each tool's score is its most suspect sentence's; prints how many of
dev's poisoned records it catches at the bars where it flags 1%, 2% and 5% of the fifth set kept apart.

    pip download --no-deps metatronnanoguard==0.1.0 -d wheels && unzip -q wheels/metatronnanoguard-*.whl -d wheels/nanoguard
    pip install torch tiktoken
    npm run scanner:features -- --texts
    python3 training/scanner/nanoguard.py wheels/nanoguard [--features artifacts/scanner-features/units]
"""
import argparse
import json
import sys

import numpy as np
import torch

ap = argparse.ArgumentParser()
ap.add_argument('package', help='the folder the wheel was unpacked into')
ap.add_argument('--features', default='artifacts/scanner-features/units')
a = ap.parse_args()
sys.path.insert(0, a.package)
from nanoguard.model import Classifier  # noqa: E402
from nanoguard.tokenizer import Tokenizer  # noqa: E402

tok = Tokenizer.from_bundled()
model, _, _ = Classifier.from_checkpoint(f'{a.package}/nanoguard/assets/model.pt')
meta, texts = json.load(open(a.features + '.json')), json.load(open(a.features + '.texts.json'))
tools = [t for t in meta['tools'] if t['set'] in ('dev', 'fifth')]
# Sentences, not the pairs read together; each distinct one once, in batches of like length.
need = sorted({texts[u] for t in tools for u in t['units'] if not meta['rows'][u]['pair']}, key=len)
score = {}
for i in range(0, len(need), 32):
    batch = need[i:i + 32]
    ids = [tok.encode(x, 512) for x in batch]
    width = max(map(len, ids))
    rows, mask = torch.full((len(batch), width), tok.pad_token_id), torch.zeros(len(batch), width, dtype=torch.bool)
    for j, s in enumerate(ids):
        rows[j, :len(s)], mask[j, :len(s)] = torch.tensor(s), True
    with torch.no_grad():
        p = torch.softmax(model(rows, mask).float(), -1)[:, 1]
    score.update(zip(batch, p.tolist()))

best = lambda t: max([score[texts[u]] for u in t['units'] if texts[u] in score] or [0])
fifth = np.array([best(t) for t in tools if t['set'] == 'fifth'])
poisoned = np.array([best(t) for t in tools if t['set'] == 'dev' and t['label'] != 'clean'])
clean = np.array([best(t) for t in tools if t['set'] == 'dev' and t['label'] == 'clean'])
for rate in (0.01, 0.02, 0.05):
    bar = np.quantile(fifth, 1 - rate)
    print(f'bar flagging {rate:.0%} of the fifth set ({bar:.4f}): dev {int((poisoned > bar).sum())} of {len(poisoned)}, dev clean flagged {np.mean(clean > bar):.1%}')
print(f'at 0.5: fifth set flagged {np.mean(fifth > 0.5):.1%}, dev {int((poisoned > 0.5).sum())} of {len(poisoned)}, dev clean flagged {np.mean(clean > 0.5):.1%}')
