"""Gradient-boosted trees for the scanner's attack head, fitted on the rows the training script writes, beside
its logistic regression (scripts/scanner/learn.ts): the shipped head is the mean of the two log-odds.

    python3 training/scanner/trees.py <dir>

reads <dir>/x.f32 (n rows of d float32 features), y.u8 (1 attack, 0 clean), w.f32 (each row's weight) and
shape.json ({"n", "d"}); writes <dir>/trees.json: each tree as flat arrays the scanner walks (node k splits on
feature[k] at threshold[k], going left when the value is at most the threshold; a child below zero is leaf
-1 - child, whose value counts). Checks the flat trees give LightGBM's own scores before writing them.
"""
import json
import os
import sys

import numpy as np

# The trees compare.py measured: small, shrunk, each on a sample of rows and half the features.
PARAMS = dict(n_estimators=300, learning_rate=0.05, num_leaves=15, min_child_samples=20, subsample=0.8,
              subsample_freq=1, colsample_bytree=0.5, reg_lambda=1.0, random_state=0, verbose=-1)


def flatten(tree):
    feature, threshold, left, right, value = [], [], [], [], []

    def walk(node):
        if 'split_index' not in node:
            value.append(float(node['leaf_value']))
            return -len(value)
        if node['decision_type'] != '<=':
            sys.exit(f'trees.py: a split of kind {node["decision_type"]} cannot be written')
        k = len(feature)
        feature.append(int(node['split_feature']))
        threshold.append(float(node['threshold']))
        left.append(0)
        right.append(0)
        left[k] = walk(node['left_child'])
        right[k] = walk(node['right_child'])
        return k

    root = walk(tree['tree_structure'])
    return {'root': root, 'feature': feature, 'threshold': threshold, 'left': left, 'right': right, 'value': value}


def walk_all(trees, x):
    out = np.zeros(len(x))
    for t in trees:
        for i, row in enumerate(x):
            k = t['root']
            while k >= 0:
                k = t['left'][k] if row[t['feature'][k]] <= t['threshold'][k] else t['right'][k]
            out[i] += t['value'][-1 - k]
    return out


def main():
    import lightgbm as lgb
    folder = sys.argv[1]
    shape = json.load(open(os.path.join(folder, 'shape.json')))
    n, d = shape['n'], shape['d']
    x = np.fromfile(os.path.join(folder, 'x.f32'), dtype=np.float32).reshape(n, d)
    y = np.fromfile(os.path.join(folder, 'y.u8'), dtype=np.uint8)
    w = np.fromfile(os.path.join(folder, 'w.f32'), dtype=np.float32)
    if not np.isfinite(x).all():
        sys.exit('trees.py: a feature is not a finite number')
    m = lgb.LGBMClassifier(**PARAMS)
    m.fit(x, y, sample_weight=w)
    trees = [flatten(t) for t in m.booster_.dump_model()['tree_info']]
    probe = x[np.random.default_rng(0).choice(n, size=min(n, 500), replace=False)]
    gap = np.abs(walk_all(trees, probe) - m.predict(probe, raw_score=True)).max()
    if gap > 1e-6:
        sys.exit(f'trees.py: the flat trees score {gap} away from LightGBM')
    json.dump(trees, open(os.path.join(folder, 'trees.json'), 'w'))


if __name__ == '__main__':
    main()
