"""Compares kinds of attack classifier on the scanner's own features, in minutes rather than the benchmark's
45: the shipped logistic regression, a small network, gradient-boosted trees, and either with the bundled
sentence model's full vectors beside (or instead of) the token-table vectors.

    npm run scanner:features -- --embeddings        # writes artifacts/scanner-features/units.*
    pip install -r training/scanner/requirements.txt
    python3 training/scanner/compare.py [--model lr|mlp|boost] [--vectors table|full|both] [--lofo] [--orthogonal n] [--balance-intents] [--context-product] [--siblings] [--lm] [--tied-signals s] [--atypical ridge] [--mil] [--no-placement] [--vector-scale s] [--length-exponent g] [--languages file] [--tree-seeds n] [--monotone] [--attack-share s] [--penalty p]

Each kind is trained as `npm run scanner:train` trains the attack head: every clean sentence against every
attack sentence of the generated attacks, attacks a fifth of the weight, non-Latin sentences weighted alike
on both sides. A tool's score is its best unit's log-odds less the log of its sentence count (up to 32).
For each false-alarm rate on held-out training servers (four folds by server), it prints the dev set's
recall (60 poisoned records, none learned from) and the share of each kept-apart set flagged.

What it leaves out, so its figures sit near the benchmark's but not on them: the patterns, the second
reading without suspect sentences, and the intent head. Decoder hits count as flagged.
"""
import argparse
import json

import numpy as np

RATES = [0.005, 0.0075, 0.01, 0.015, 0.02]
LOFO_RATE = 0.01
ATTACK_SHARE = 0.2
PENALTY = 2e-4  # the shipped L2 penalty on the linear layer's weighted mean loss
MOST_SENTENCES = 32
LENGTH_EXPONENT = 1.0  # the bar's odds rise with the sentence count to this power (the scanner's: 1)
TREES = {'count': 300, 'leaves': 15, 'share': 0.5, 'seeds': 1, 'monotone': False}  # the shipped trees' size (trees.py) and their share of the blend
SIGNAL_COUNT = 18  # the structural signals lead the feature row (features.ts, SIGNALS)


def load(prefix, vectors):
    meta = json.load(open(prefix + '.json'))
    x = np.fromfile(prefix + '.f32', dtype=np.float32).reshape(-1, meta['dim'])
    if vectors != 'table':
        full = np.fromfile(prefix + '.emb.f32', dtype=np.float32).reshape(x.shape[0], -1)
        sd = full.std(0)
        # Standardised, so the penalty weighs these columns like the table's (whose PCA columns are whitened).
        full = np.where(sd > 1e-6, (full - full.mean(0)) / np.maximum(sd, 1e-6), 0).astype(np.float32)
        x = np.hstack([x[:, :meta['named']], full]) if vectors == 'full' else np.hstack([x, full])
    return meta, x


def weights(y, group):
    """Attacks get ATTACK_SHARE of the weight; within them, each group of sentences (0 the model's own language,
    others a script or language it was not trained on) the share it has among clean ones. Mean 1."""
    group = np.asarray(group, dtype=int)
    att = y > 0
    w = np.zeros(len(y))
    w[~att] = (1 - ATTACK_SHARE) / max((~att).sum(), 1)
    rest = 1.0
    for g in sorted(set(group[att]) - {0}):
        target = max((group[~att] == g).mean(), 0.001)
        w[att & (group == g)] = ATTACK_SHARE * target / (att & (group == g)).sum()
        rest -= target
    own = att & (group == 0)
    if own.any():
        w[own] = ATTACK_SHARE * rest / own.sum()
    return w / w.sum() * len(y)


def monotone(x):
    """With --monotone, each structural signal may only raise a tree's log-odds, never speak for innocence."""
    if not TREES['monotone']:
        return {}
    return dict(monotone_constraints=[1] * SIGNAL_COUNT + [0] * (x.shape[1] - SIGNAL_COUNT), monotone_constraints_method='advanced')


def trainer(kind):
    def fit(x, y, w):
        if kind == 'lr':
            from sklearn.linear_model import LogisticRegression
            # The L2 penalty on the weighted mean loss: weights summing to 1.
            m = LogisticRegression(C=1 / PENALTY, max_iter=3000, tol=1e-7)
            m.fit(x, y, sample_weight=w / w.sum())
            return m.decision_function
        if kind == 'mlp':
            from sklearn.neural_network import MLPClassifier
            m = MLPClassifier(hidden_layer_sizes=(32,), alpha=1e-3, max_iter=60, random_state=0)
            m.fit(x, y, sample_weight=w)
            def logodds(a):
                p = m.predict_proba(a).clip(1e-12, 1)
                return np.log(p[:, 1] / p[:, 0])
            return logodds
        if kind == 'blend':
            # The shipped attack head: the mean of the two log-odds (a --tree-share of 0.5), so that what the linear layer reads of
            # every signal alone and what the trees read of combinations each need the other's word.
            a, b = trainer('lr')(x, y, w), trainer('boost')(x, y, w)
            return lambda rows: (1 - TREES['share']) * a(rows) + TREES['share'] * b(rows)
        import lightgbm as lgb
        from trees import PARAMS
        # With --tree-seeds n, the mean of n forests that differ only in which rows and features each tree draws.
        params = {**PARAMS, 'n_estimators': TREES['count'], 'num_leaves': TREES['leaves'], **monotone(x)}
        ms = [lgb.LGBMClassifier(**{**params, 'random_state': s}).fit(x, y, sample_weight=w) for s in range(TREES['seeds'])]
        return lambda a: sum(m.predict(a, raw_score=True) for m in ms) / len(ms)
    return fit


def tool_scores(model, tools, pair):
    """Each tool's best unit's log-odds less the log of its sentence count (up to 32), as the scanner's bar;
    decoder hits count as flagged. `model` scores an array of unit rows at once."""
    listed = [u for t in tools for u in t['units']]
    at = dict(zip(listed, model(np.array(listed, dtype=int)))) if listed else {}
    out = []
    for t in tools:
        u = t['units']
        if t['decoders'] or not u:
            out.append(np.inf if t['decoders'] else -np.inf)
            continue
        n = min(max(int((~pair[np.array(u)]).sum()), 1), MOST_SENTENCES)
        out.append(float(max(at[i] for i in u) - LENGTH_EXPONENT * np.log(n)))
    return out


def judge(meta, fit, title, lofo=False, learn_from=()):
    """Prints, for each held-out false-alarm rate, dev's recall and false alarms and the share of each
    kept-apart set flagged; with `lofo`, each content intent left out in turn. `fit(units)` learns from
    those unit rows and returns a function scoring unit rows."""
    y = np.array([r['y'] for r in meta['rows']])
    pair = np.array([r['pair'] for r in meta['rows']], dtype=bool)
    tools = meta['tools']
    of = lambda s: [t for t in tools if t['set'] == s]
    clean, generated, dev = of('clean') + [t for k in learn_from for t in of(k)], of('generated') + of('transplant'), of('dev')
    judged = [k for k in dict.fromkeys(t['set'] for t in tools) if k not in ('clean', 'generated', 'transplant', 'dev', *learn_from)]

    def train(chosen):
        idx = np.concatenate([np.array(t['units'], dtype=int) for t in chosen if t['units']])
        return fit(idx[y[idx] >= 0])

    servers = sorted({t['server'] for t in clean})
    fold = {s: i % 4 for i, s in enumerate(servers)}
    held = []
    for i in range(4):
        m = train([t for t in clean + generated if fold[t['server']] != i])
        held += tool_scores(m, [t for t in clean if fold[t['server']] == i], pair)
    held = sorted(held, reverse=True)
    bar = lambda rate: held[int(len(held) * rate)] + 1e-9
    model = train(clean + generated)
    scored = {s: list(zip(of(s), tool_scores(model, of(s), pair))) for s in ['dev', *judged]}
    print(f'{title}: held-out rate, dev recall (of 60), dev false alarms, % of each kept-apart set flagged')
    for rate in RATES:
        b = bar(rate)
        caught = sum(s >= b for t, s in scored['dev'] if t['label'] == 'poisoned')
        alarms = sum(s >= b for t, s in scored['dev'] if t['label'] == 'clean')
        kept = ' '.join(f'{k} {100 * np.mean([s >= b for _, s in scored[k]]):.2f}%' for k in judged)
        print(f'{rate:.4f}  recall {caught}  dev false alarms {alarms}  {kept}', flush=True)
    if lofo:
        b = bar(LOFO_RATE)
        per = {}
        for it in sorted({t['intent'] for t in generated if t['intent']}):
            m = train(clean + [t for t in generated if t['intent'] != it])
            per[it] = int(sum(s >= b for s in tool_scores(m, [t for t in dev if t['family'] == it], pair)))
        print(f'leave one intent out, at the {100 * LOFO_RATE:g}% bar: {sum(per.values())} of {5 * len(per)}', json.dumps(per))


def context_product(meta, x):
    """Each unit's table vector times the mean of its definition's other sentences' (pairs left out of the
    mean), column by column, the mean scaled to unit length: what a weighted likeness would learn from."""
    v = x[:, meta['named']:meta['dim']]
    pair = np.array([r['pair'] for r in meta['rows']], dtype=bool)
    out = np.zeros_like(v)
    for t in meta['tools']:
        u = np.array(t['units'], dtype=int)
        if len(u) == 0:
            continue
        single = u[~pair[u]]
        total = v[single].sum(0)
        for i in u:
            n = len(single) - (0 if pair[i] else 1)
            if n <= 0:
                continue
            c = (total - (0 if pair[i] else v[i])) / n
            out[i] = v[i] * c / max(np.linalg.norm(c), 1e-6)
    return out.astype(np.float32)


def siblings(meta, x):
    """How much at home each unit is among its server's other tools: its highest likeness to a sentence of
    another tool of the same server, whether it has any, and the share of those tools holding a near copy
    of it (0.95 alike; a server's boilerplate). A generated tool is read among the clean tools of its
    carrier's server, its carrier's original left out, as a poisoned tool replaces the one it copies; a dev
    record among its own server's records, its twin left out."""
    v = x[:, meta['named']:meta['dim']].astype(np.float32)
    v = v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-6)
    pair = np.array([r['pair'] for r in meta['rows']], dtype=bool)
    tools = meta['tools']
    sentences = [np.array(t['units'], dtype=int) for t in tools]
    sentences = [u[~pair[u]] for u in sentences]
    best = np.full(len(v), np.nan, dtype=np.float32)
    repeated = np.zeros(len(v), dtype=np.float32)
    by = {}
    for i, t in enumerate(tools):
        by.setdefault(('clean' if t['set'] == 'generated' else t['set'], t['server']), []).append(i)
    for (home, _), members in by.items():
        peers = [i for i in members if tools[i]['set'] == home and len(sentences[i])]
        for i in members:
            u = np.array(tools[i]['units'], dtype=int)
            others = [j for j in peers if j != i]
            if not len(u) or not others:
                continue
            own = v[sentences[i]] if len(sentences[i]) else v[u]
            # The tool's twin: the other tool most of whose sentences are this one's, word for word.
            shared = [(own @ v[sentences[j]].T).max(1).__gt__(0.9999).mean() for j in others]
            twin = int(np.argmax(shared))
            if shared[twin] >= 0.5:
                del others[twin]
            if not others:
                continue
            w = np.concatenate([sentences[j] for j in others])
            owner = np.concatenate([np.full(len(sentences[j]), k) for k, j in enumerate(others)])
            sims = v[u] @ v[w].T
            best[u] = sims.max(1)
            repeated[u] = [len(set(owner[row])) / len(others) for row in sims >= 0.95]
    has = ~np.isnan(best)
    return np.stack([np.where(has, best, np.nanmedian(best)), has, np.sqrt(repeated)], 1).astype(np.float32)


def server_folds(meta):
    """The bar's four folds of the training servers: each server's fold, and each unit's (its tool's server's,
    a generated tool's carrier's; -1 for a unit of no training server)."""
    servers = sorted({t['server'] for t in meta['tools'] if t['set'] == 'clean'})
    fold = {s: i % 4 for i, s in enumerate(servers)}
    owner = np.full(len(meta['rows']), -1)
    for t in meta['tools']:
        if t['set'] in ('clean', 'generated'):
            for u in t['units']:
                owner[u] = fold.get(t['server'], -1)
    return fold, owner


def frequent_vector(meta, prefix, k, table='resources/scanner/token-vectors.bin'):
    """Each unit's mean over only its tokens among the k commonest in the training servers' clean sentences
    (the words every tool uses: "you", "must", "before", "the user", "do not"), unit length and standardised:
    how a sentence is put rather than what it is about, which an intent never shown may share with the known
    ones. The commonest are counted on clean sentences alone, so no attack's wording chooses them."""
    import os, sys
    if not os.path.exists(prefix + '.ids.i32'):
        sys.exit(f'{prefix}.ids.i32 is missing: write it with `npm run scanner:features -- --ids`')
    off = np.fromfile(prefix + '.offsets.i32', dtype=np.int32)
    flat = np.fromfile(prefix + '.ids.i32', dtype=np.int32)
    raw = open(table, 'rb').read()
    rows, dims = np.frombuffer(raw, dtype='<u4', count=2, offset=8)
    scales = np.frombuffer(raw, dtype='<f4', count=rows, offset=16)
    vals = np.frombuffer(raw, dtype=np.int8, count=rows * dims, offset=16 + 4 * rows).reshape(rows, dims)
    y = np.array([r['y'] for r in meta['rows']])
    pair = np.array([r['pair'] for r in meta['rows']], dtype=bool)
    clean = [u for t in meta['tools'] if t['set'] == 'clean' for u in t['units'] if not pair[u] and y[u] == 0]
    counts = np.bincount(np.concatenate([flat[off[u]:off[u + 1]] for u in clean]), minlength=int(rows))
    common = np.zeros(int(rows), dtype=bool)
    common[np.argsort(-counts)[:k]] = True
    out = np.zeros((len(y), int(dims)), dtype=np.float32)
    for i in range(len(y)):
        ids = flat[off[i]:off[i + 1]]
        ids = ids[common[ids]]
        if len(ids):
            v = (vals[ids].astype(np.float32) * scales[ids, None]).sum(0)
            out[i] = v / max(np.linalg.norm(v), 1e-9)
    sd = out.std(0)
    return np.where(sd > 1e-6, (out - out.mean(0)) / np.maximum(sd, 1e-6), 0).astype(np.float32)


def lm_features(meta, prefix):
    """How a word-piece trigram model of real tools' sentences reads each unit: its mean surprisal, and how much
    more surprising its words are in their order than alone (mean and most, over its tokens). The model
    learns from clean sentences only, so it owns no attack's phrasing; a clean unit is read by a model that
    never saw its server (four folds by server, as the bar's), a generated one by the model that never saw
    its carrier's, the rest by one that learned from every training server."""
    import os, sys
    if not os.path.exists(prefix + '.ids.i32'):
        sys.exit(f'{prefix}.ids.i32 is missing: write it with `npm run scanner:features -- --ids`')
    off = np.fromfile(prefix + '.offsets.i32', dtype=np.int32)
    flat = np.fromfile(prefix + '.ids.i32', dtype=np.int32)
    rows, tools = meta['rows'], meta['tools']
    y = np.array([r['y'] for r in rows])
    pair = np.array([r['pair'] for r in rows], dtype=bool)
    V = int(flat.max()) + 2
    BOS, EOS = V - 1, V - 2
    seq = lambda i: np.concatenate([[BOS, BOS], flat[off[i]:off[i + 1]], [EOS]]).astype(np.int64)
    fold, owner = server_folds(meta)
    learn = np.array([t['set'] == 'clean' for t in tools])
    clean_units = [(u, fold[t['server']]) for t, l in zip(tools, learn) if l for u in t['units'] if not pair[u] and y[u] == 0]
    D = 0.75

    def build(units):
        # trigram keys within sentences only
        tri, bi, uni = [], [], []
        for u in units:
            q = seq(u)
            tri.append(q[:-2] * V * V + q[1:-1] * V + q[2:])
            bi.append(q[1:-1] * V + q[2:])
            uni.append(q[2:])
        tri, bi, uni = np.concatenate(tri), np.concatenate(bi), np.concatenate(uni)
        t_k, t_c = np.unique(tri, return_counts=True)
        b_k, b_c = np.unique(bi, return_counts=True)
        u_c = np.bincount(uni, minlength=V).astype(np.float64)
        # contexts: totals and distinct continuations
        tctx = t_k // V
        tc_k, tc_inv = np.unique(tctx, return_inverse=True)
        tc_tot = np.bincount(tc_inv, weights=t_c)
        tc_n1 = np.bincount(tc_inv)
        bctx = b_k // V
        bc_k, bc_inv = np.unique(bctx, return_inverse=True)
        bc_tot = np.bincount(bc_inv, weights=b_c)
        bc_n1 = np.bincount(bc_inv)
        return dict(t_k=t_k, t_c=t_c, b_k=b_k, b_c=b_c, p1=(u_c + 1) / (u_c.sum() + V), tc=(tc_k, tc_tot, tc_n1), bc=(bc_k, bc_tot, bc_n1))

    def look(keys, counts, q):
        i = np.searchsorted(keys, q).clip(0, len(keys) - 1)
        hit = keys[i] == q
        return np.where(hit, counts[i], 0)

    def score(m, units):
        out = np.zeros((len(units), 4), dtype=np.float32)
        for r, u in enumerate(units):
            q = seq(u)
            a, b, c = q[:-2], q[1:-1], q[2:]
            p1 = m['p1'][c]
            k, tot, n1 = m['bc']
            bt, bn = look(k, tot, b), look(k, n1, b)
            bcnt = look(m['b_k'], m['b_c'], b * V + c)
            p2 = np.where(bt > 0, np.maximum(bcnt - D, 0) / np.maximum(bt, 1) + D * bn / np.maximum(bt, 1) * p1, p1)
            k, tot, n1 = m['tc']
            tt, tn = look(k, tot, a * V + b), look(k, n1, a * V + b)
            tcnt = look(m['t_k'], m['t_c'], a * V * V + b * V + c)
            p3 = np.where(tt > 0, np.maximum(tcnt - D, 0) / np.maximum(tt, 1) + D * tn / np.maximum(tt, 1) * p2, p2)
            s3, extra = -np.log(p3), np.log(p1) - np.log(p3)
            out[r] = (s3.mean(), extra.mean(), extra.max(), (tcnt == 0).mean())
        return out

    feats = np.zeros((len(rows), 4), dtype=np.float32)
    every = np.arange(len(rows))
    for k in range(4):
        m = build([u for u, f in clean_units if f != k])
        chosen = every[owner == k]
        feats[chosen] = score(m, chosen)
        print(f'language model fold {k}: {len(chosen)} units', flush=True)
    m = build([u for u, _ in clean_units])
    chosen = every[owner < 0]
    feats[chosen] = score(m, chosen)
    mu, sd = feats[owner >= 0].mean(0), feats[owner >= 0].std(0)
    return ((feats - mu) / np.maximum(sd, 1e-6)).astype(np.float32)


def atypical(meta, x, ridge):
    """How unlike real tools' sentences each unit's meaning is, whatever it is about: the Mahalanobis distance
    of its table vector from the clean training sentences' (their mean and covariance, `ridge` added to the
    diagonal), log-scaled. A quadratic function of the vector, which the linear head cannot form, learned from
    clean sentences only, so no attack's phrasing is its own. A unit is read by a fit that never saw its
    server (or, for a generated one, its carrier's), four folds by server as the bar's; the rest by one fit on
    every training server."""
    v = x[:, meta['named']:meta['dim']].astype(np.float64)
    rows, tools = meta['rows'], meta['tools']
    y = np.array([r['y'] for r in rows])
    pair = np.array([r['pair'] for r in rows], dtype=bool)
    _, owner = server_folds(meta)
    clean_units = np.array([u for t in tools if t['set'] == 'clean' for u in t['units'] if not pair[u] and y[u] == 0])
    clean_fold = owner[clean_units]
    out = np.zeros(len(rows), dtype=np.float32)

    def fitted(units):
        a = v[units]
        mu = a.mean(0)
        c = np.cov(a, rowvar=False) + ridge * np.eye(a.shape[1])
        return mu, np.linalg.cholesky(np.linalg.inv(c))

    def score(model, units):
        mu, l = model
        for s in range(0, len(units), 20000):
            chunk = units[s:s + 20000]
            out[chunk] = np.log1p(((v[chunk] - mu) @ l) ** 2 @ np.ones(l.shape[1]) / l.shape[1])

    every = np.arange(len(rows))
    for k in range(4):
        score(fitted(clean_units[clean_fold != k]), every[owner == k])
    score(fitted(clean_units), every[owner < 0])
    sd = out[owner >= 0].std()
    print(f'atypical meaning: mean {out[owner >= 0].mean():.3f}, sd {sd:.3f}', flush=True)
    return ((out - out[owner >= 0].mean()) / max(sd, 1e-6)).astype(np.float32)[:, None]


def main():
    global LOFO_RATE, LENGTH_EXPONENT, PENALTY, ATTACK_SHARE
    ap = argparse.ArgumentParser()
    ap.add_argument('--features', default='artifacts/scanner-features/units')
    ap.add_argument('--model', default='lr', choices=['lr', 'mlp', 'boost', 'blend'])
    ap.add_argument('--vectors', default='table', choices=['table', 'full', 'both'])
    ap.add_argument('--rates', default='', help='held-out false-alarm rates to set the bar at, comma-separated (default 0.005,0.0075,0.01,0.015,0.02)')
    ap.add_argument('--lofo-rate', type=float, default=0.01, help='the held-out false-alarm rate whose bar leaving an intent out is judged at')
    ap.add_argument('--lofo', action='store_true', help='also leave each intent out of training and count its dev records caught')
    ap.add_argument('--learn-from', default='', help='kept-apart sets (as named in the features file) to learn from as clean servers: they are then judged no more')
    ap.add_argument('--orthogonal', type=int, default=0, help='hold the sentence vector\'s weights orthogonal to this many directions that tell the known intents\' attack sentences apart')
    ap.add_argument('--balance-intents', action='store_true', help="give each intent's attack sentences the same share of the attack weight")
    ap.add_argument('--context-product', action='store_true', help="beside the sentence vector, its product with the mean of its definition's other sentences' vectors, column by column (a learned likeness)")
    ap.add_argument('--drop-top', type=int, default=0, help="leave out the sentence vector's first n PCA columns (its commonest directions, mostly topic)")
    ap.add_argument('--siblings', action='store_true', help="beside the features, how much at home each unit is among its server's other tools")
    ap.add_argument('--frequent', type=int, default=0, help="beside the features, each unit's mean vector over only its tokens among this many commonest in clean sentences (how it is put, not what about)")
    ap.add_argument('--frequent-scale', type=float, default=1, help='scale of the --frequent columns (under 1: their weights cost more of the penalty)')
    ap.add_argument('--lm', action='store_true', help="beside the features, how a trigram model of real tools' sentences reads each unit")
    ap.add_argument('--atypical', type=float, default=0, help="beside the features, how unlike real tools' sentences a unit's meaning is (Mahalanobis distance from the clean sentences', with this ridge)")
    ap.add_argument('--mil', action='store_true', help="learn from each generated attack's most attack-like sentence and pair only, as the first fit reads them (its other sentences left out)")
    ap.add_argument('--no-placement', action='store_true', help="leave out where a unit sits (top description, name, title, schema text, a value): the generator's mix of places, not the world's")
    ap.add_argument('--vector-scale', type=float, default=1, help="scale the sentence vector's columns by this (under 1: its weights cost more of the penalty than the signals' and the context's)")
    ap.add_argument('--tied-signals', type=float, default=0, help="beside the structural signals, how many of them a unit shows, each signal's own column scaled by this (under 1: its own weight costs more than the shared one's)")
    ap.add_argument('--length-exponent', type=float, default=1.0, help="the power of the sentence count the bar's odds rise with (0: one bar for every definition)")
    ap.add_argument('--languages', default='', help="each unit's language as an identifier read it ([code, probability] per unit, JSON): attacks in each language weigh the share that language has among clean sentences")
    ap.add_argument('--trees', type=int, default=300, help='how many trees the boosted models grow')
    ap.add_argument('--leaves', type=int, default=15, help='the most leaves a tree has')
    ap.add_argument('--tree-seeds', type=int, default=1, help='how many forests, each drawing its rows and features with a seed of its own, the trees\' log-odds are the mean of')
    ap.add_argument('--monotone', action='store_true', help='hold each tree\'s log-odds non-decreasing in every structural signal')
    ap.add_argument('--penalty', type=float, default=PENALTY, help="the linear layer's L2 penalty on the weighted mean loss")
    ap.add_argument('--attack-share', type=float, default=ATTACK_SHARE, help='the share of the training weight the attack sentences have')
    ap.add_argument('--tree-share', type=float, default=0.5, help="the trees' share of the blend's log-odds (the linear layer has the rest)")
    a = ap.parse_args()
    TREES.update(count=a.trees, leaves=a.leaves, share=a.tree_share, seeds=a.tree_seeds, monotone=a.monotone)
    LENGTH_EXPONENT = a.length_exponent
    PENALTY, ATTACK_SHARE = a.penalty, a.attack_share
    LOFO_RATE = a.lofo_rate
    if a.rates:
        RATES[:] = [float(r) for r in a.rates.split(',')]
    meta, x = load(a.features, a.vectors)
    if a.siblings:
        x = np.hstack([x, siblings(meta, x)])
    if a.lm:
        x = np.hstack([x, lm_features(meta, a.features)])
    if a.frequent:
        x = np.hstack([x, frequent_vector(meta, a.features, a.frequent) * a.frequent_scale])
    if a.atypical:
        x = np.hstack([x, atypical(meta, x, a.atypical)])
    if a.tied_signals:
        # One weight shared by every signal, each signal's own weight a costlier deviation from it: a signal
        # only the left-out intent shows still counts, at the weight the others earned.
        count = x[:, :SIGNAL_COUNT].sum(1, keepdims=True)
        x[:, :SIGNAL_COUNT] *= a.tied_signals
        x = np.hstack([x, count / 4])
    if a.vector_scale != 1:
        x[:, meta['named']:meta['dim']] *= a.vector_scale
    if a.no_placement:
        # The five field kinds follow the structural signals in the row (features.ts, FIELD_KINDS).
        x[:, SIGNAL_COUNT:SIGNAL_COUNT + 5] = 0
    if a.drop_top:
        x = np.delete(x, np.s_[meta['named']:meta['named'] + a.drop_top], axis=1)
        meta['dim'] -= a.drop_top
    if a.context_product:
        x = np.hstack([x, context_product(meta, x)])
    y = np.array([r['y'] for r in meta['rows']])
    foreign = np.array([r['foreign'] for r in meta['rows']], dtype=int)
    if a.languages:
        # Each language the identifier names (not English, at 0.9 or surer) a group of its own, beside non-Latin script.
        found = json.load(open(a.languages))
        codes = {}
        for i, (lang, p) in enumerate(found):
            if not foreign[i] and lang != 'en' and p >= 0.9:
                foreign[i] = codes.setdefault(lang, len(codes) + 2)
    learner = trainer(a.model)

    def weighed(idx):
        w = weights(y[idx], foreign[idx])
        if a.balance_intents:
            # Each intent's attack sentences the same share of the attack weight, however many were written.
            att = y[idx] > 0
            kinds = sorted(set(y[idx][att]))
            for k in kinds:
                mine = y[idx] == k
                w[mine] *= (w[att].sum() / len(kinds)) / w[mine].sum()
        return w

    # Each generated tool's attack units, sentences and pairs apart: with --mil only the most attack-like of
    # each stays an attack to learn from; a justification or sign-off around an instruction is left out.
    bag = np.full(len(y), -1)
    for k, t in enumerate(meta['tools']):
        if t['set'] == 'generated':
            for u in t['units']:
                if y[u] > 0:
                    bag[u] = 2 * k + meta['rows'][u]['pair']

    def fit(idx):
        if a.mil:
            first = learner(x[idx], (y[idx] > 0).astype(int), weighed(idx))
            att = idx[(y[idx] > 0) & (bag[idx] >= 0)]
            s = first(x[att])
            best = {}
            for u, v in zip(att, s):
                if bag[u] not in best or v > best[bag[u]][1]:
                    best[bag[u]] = (u, v)
            keep = np.array([u for u, _ in best.values()])
            idx = idx[(y[idx] <= 0) | (bag[idx] < 0) | np.isin(idx, keep)]
        if not a.orthogonal:
            model = learner(x[idx], (y[idx] > 0).astype(int), weighed(idx))
            return lambda units: model(x[units])
        # The directions between the intents' mean attack sentences (of those learned from): a weight along
        # them is what one intent's phrasing owns, which an intent never shown does not share.
        v = slice(meta['named'], None)
        att = idx[y[idx] > 0]
        means = np.array([x[att[y[att] == k], v].mean(0) for k in sorted(set(y[att]))])
        _, _, vt = np.linalg.svd(means - means.mean(0), full_matrices=False)
        q = vt[: min(a.orthogonal, len(means) - 1)]
        def project(rows):
            out = x[rows].copy()
            out[:, v] -= (out[:, v] @ q.T) @ q
            return out
        model = learner(project(idx), (y[idx] > 0).astype(int), weighed(idx))
        return lambda units: model(project(units))

    judge(meta, fit, f'{a.model}, {a.vectors} vectors', a.lofo, [k for k in a.learn_from.split(',') if k])


if __name__ == '__main__':
    main()
