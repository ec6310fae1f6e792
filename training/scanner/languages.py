"""Each unit's language as langid reads it, for `compare.py --languages`: one [code, probability] per unit of
a features file written with `--texts`. Units of fewer than four words are taken as English (too short to
tell).

    python3 training/scanner/languages.py artifacts/scanner-features/<name>   # writes <name>.languages.json
"""
import json
import sys

from langid.langid import LanguageIdentifier, model

ident = LanguageIdentifier.from_modelstring(model, norm_probs=True)
prefix = sys.argv[1]
texts = json.load(open(prefix + '.texts.json'))
found = [('en', 1.0) if len(t.split()) < 4 else tuple(ident.classify(t)) for t in texts]
json.dump([[code, float(p)] for code, p in found], open(prefix + '.languages.json', 'w'))
