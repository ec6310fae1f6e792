// Reading and changing an AI client's config file in its own format, touching nothing but the entries
// changed: JSON and JSONC through jsonc-parser's edits (comments, order and spacing stay), YAML through
// `yaml`'s document model (comments stay), TOML through toml-patch (comments and layout stay).
import { applyEdits, getNodeValue, modify, parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { parseDocument } from 'yaml';

export type FileFormat = 'json' | 'jsonc' | 'yaml' | 'toml';

/** The file cannot be read as its format: it is reported, and never written. */
export class MalformedFile extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file} is not valid (${detail}): fix it in the client first; Gatehouse leaves it as it is`);
    this.name = 'MalformedFile';
  }
}

type Tree = Record<string, unknown>;

export async function parseConfig(format: FileFormat, text: string, file: string): Promise<Tree> {
  if (text.trim() === '') return {};
  switch (format) {
    case 'json':
    case 'jsonc': {
      const errors: ParseError[] = [];
      // Through the tree: its objects have no prototype, so a server named "__proto__" stays an entry.
      const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
      const value = tree === undefined ? undefined : (getNodeValue(tree) as unknown);
      if (errors.length) throw new MalformedFile(file, `${printParseErrorCode(errors[0].error)} at offset ${errors[0].offset}`);
      if (!isObject(value)) throw new MalformedFile(file, 'the top level is not an object');
      return value;
    }
    case 'yaml': {
      const doc = parseDocument(text);
      if (doc.errors.length) throw new MalformedFile(file, doc.errors[0].message.split('\n')[0]);
      const value = doc.toJS() as unknown;
      if (value == null) return {};
      if (!isObject(value)) throw new MalformedFile(file, 'the top level is not a mapping');
      return value;
    }
    case 'toml': {
      const { parse } = await import('@decimalturn/toml-patch');
      try {
        return parse(text) as Tree;
      } catch (err) {
        throw new MalformedFile(file, (err as Error).message.split('\n')[0]);
      }
    }
  }
}

/** `text` with the value at `path` set (or removed, for `undefined`), everything else as it was. */
export async function setIn(format: FileFormat, text: string, path: string[], value: unknown): Promise<string> {
  switch (format) {
    case 'json':
    case 'jsonc':
      return jsonSet(text, path, value);
    case 'yaml': {
      const doc = parseDocument(text);
      if (value === undefined) doc.deleteIn(path);
      else doc.setIn(path, doc.createNode(value));
      return String(doc);
    }
    case 'toml': {
      const { parse, patch, stringify } = await import('@decimalturn/toml-patch');
      const tree = (text.trim() ? parse(text) : {}) as Tree;
      let node: Tree = tree;
      for (const key of path.slice(0, -1)) {
        if (!isObject(node[key])) node[key] = {};
        node = node[key] as Tree;
      }
      const last = path[path.length - 1];
      if (value === undefined) delete node[last];
      else node[last] = value;
      return text.trim() ? patch(text, tree) : stringify(tree);
    }
  }
}

/**
 * jsonc-parser finds where the change goes; the text put there is laid out here, in the file's own
 * indentation. (Its formatter would also re-flow the neighbouring entry, which must stay as it was.)
 */
function jsonSet(text: string, path: string[], value: unknown): string {
  const base = text.trim() ? text : '{}';
  const unit = /\n([ \t]+)\S/.exec(base)?.[1] ?? '  ';
  const eol = base.includes('\r\n') ? '\r\n' : '\n';
  const edits = modify(base, path, value, {}).map((e) => ({ ...e, content: layOut(base, e.offset, e.content, unit, eol) }));
  const next = applyEdits(base, edits);
  return text.trim() ? next : `${next}${eol}`;
}

function layOut(text: string, offset: number, content: string, unit: string, eol: string): string {
  const m = /^(,?)("(?:[^"\\]|\\.)*":)?([\s\S]+)$/.exec(content);
  if (!m) return content;
  const [, comma, key, json] = m;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lineIndent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  const indent = key && !comma ? lineIndent + unit : lineIndent;
  const body = JSON.stringify(JSON.parse(json), null, unit).replace(/\n/g, `${eol}${indent}`);
  if (!key) return body;
  if (comma) return `,${eol}${indent}${key} ${body}`;
  return `${eol}${indent}${key} ${body}${eol}${lineIndent}`;
}

export function getIn(tree: Tree, path: string[]): unknown {
  let node: unknown = tree;
  for (const key of path) {
    if (!isObject(node) || !Object.hasOwn(node, key)) return undefined;
    node = node[key];
  }
  return node;
}

export function isObject(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
