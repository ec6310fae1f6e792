// A tool's (prompt's, template's) whole definition as JSON, every string shown with VisibleText and the
// scanner's findings marked where they sit. Findings name their field the way the scanner walks a
// definition: `description`, `inputSchema.properties.path.description`, `arguments[0].description`.
import { useState, type ReactNode } from 'react';
import { ShowRest, VisibleText, type Highlight } from './VisibleText.js';

/** Diff lines drawn at first; a definition changed throughout can have thousands. */
const LINES_AT_FIRST = 400;

export interface FieldFinding extends Highlight {
  field: string;
}

function render(value: unknown, field: string, findings: FieldFinding[], depth: number): ReactNode {
  const pad = '  '.repeat(depth);
  if (typeof value === 'string') {
    return (
      <>
        {'"'}
        <VisibleText text={value} highlights={findings.filter((f) => f.field === field)} />
        {'"'}
      </>
    );
  }
  if (Array.isArray(value)) {
    if (!value.length) return '[]';
    return (
      <>
        {'[\n'}
        {value.map((v, i) => (
          <span key={i}>
            {pad}
            {'  '}
            {render(v, `${field}[${i}]`, findings, depth + 1)}
            {i < value.length - 1 ? ',\n' : '\n'}
          </span>
        ))}
        {pad}
        {']'}
      </>
    );
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (!entries.length) return '{}';
    const isProperties = field.endsWith('properties');
    return (
      <>
        {'{\n'}
        {entries.map(([k, v], i) => {
          const at = field ? `${field}.${k}` : k;
          // A property's name is text a model reads too: a finding on it carries the property's path.
          const onName = isProperties ? findings.filter((f) => f.field === at && f.end <= k.length) : [];
          return (
            <span key={k}>
              {pad}
              {'  "'}
              <VisibleText text={k} highlights={onName} />
              {'": '}
              {render(v, at, findings, depth + 1)}
              {i < entries.length - 1 ? ',\n' : '\n'}
            </span>
          );
        })}
        {pad}
        {'}'}
      </>
    );
  }
  return JSON.stringify(value);
}

export function DefinitionView({ definition, findings = [], label }: { definition: unknown; findings?: FieldFinding[]; label: string }) {
  return (
    <pre className="gh-mono gh-diff" style={{ padding: 'var(--mantine-spacing-xs)' }} aria-label={label} tabIndex={0}>
      {render(definition, '', findings, 0)}
    </pre>
  );
}

export function DiffView({ lines, label }: { lines: { op: ' ' | '-' | '+'; text: string }[]; label: string }) {
  const [all, setAll] = useState(false);
  const shown = all ? lines : lines.slice(0, LINES_AT_FIRST);
  return (
    <pre className="gh-mono gh-diff" aria-label={label} tabIndex={0}>
      {shown.map((l, i) => (
        <div key={i} className={`gh-diff-line ${l.op === '+' ? 'gh-diff-add' : l.op === '-' ? 'gh-diff-del' : ''}`}>
          <span aria-label={l.op === '+' ? 'added' : l.op === '-' ? 'removed' : undefined}>{l.op}</span> <VisibleText text={l.text} />
        </div>
      ))}
      {shown.length < lines.length ? <ShowRest hidden={lines.length - shown.length} what="lines" onShow={() => setAll(true)} /> : null}
    </pre>
  );
}
