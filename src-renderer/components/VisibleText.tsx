// A string a server sent, shown so nothing can hide: invisible and control characters appear as marked
// code points (tag characters with the letter they smuggle), and the scanner's findings are marked in
// place with their reason on hover and for screen readers. A string longer than any real definition's is
// drawn in part until a person asks for the rest: a server can send megabytes.
import { Button, Tooltip } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { codePointLabel, HIDDEN_CHARACTER } from '../../src-shared/hidden-characters.js';
import { TEXT_SHOWN_AT_FIRST } from '../../src-shared/trust.js';

export interface Highlight {
  start: number;
  end: number;
  message: string;
  severity: 'low' | 'medium' | 'high';
}

function visible(text: string, keyPrefix: string): ReactNode[] {
  const out: ReactNode[] = [];
  let plain = '';
  let i = 0;
  for (const ch of text) {
    if (ch !== '\n' && ch !== '\t' && HIDDEN_CHARACTER.test(ch)) {
      if (plain) out.push(plain);
      plain = '';
      const label = codePointLabel(ch);
      out.push(
        <span key={`${keyPrefix}-${i}`} className="gh-invisible" title={`invisible character ${label}`}>
          {label}
        </span>,
      );
    } else plain += ch;
    i += ch.length;
  }
  if (plain) out.push(plain);
  return out;
}

/** Where to cut a string near `at` without splitting a character drawn from two code units. */
function cutAt(text: string, at: number): number {
  const code = text.charCodeAt(at - 1);
  return code >= 0xd800 && code <= 0xdbff ? at - 1 : at;
}

export function ShowRest({ hidden, what, onShow }: { hidden: number; what: string; onShow: () => void }) {
  return (
    <Button size="compact-xs" variant="light" mx={4} onClick={onShow}>
      … show the other {hidden.toLocaleString('en')} {what}
    </Button>
  );
}

export function VisibleText({ text: whole, highlights = [] }: { text: string; highlights?: Highlight[] }) {
  const [all, setAll] = useState(false);
  const text = all || whole.length <= TEXT_SHOWN_AT_FIRST ? whole : whole.slice(0, cutAt(whole, TEXT_SHOWN_AT_FIRST));
  const spans = highlights
    .filter((h) => h.end > h.start && h.start < text.length)
    .map((h) => ({ ...h, end: Math.min(h.end, text.length) }))
    .sort((a, b) => a.start - b.start);
  const out: ReactNode[] = [];
  let at = 0;
  spans.forEach((h, n) => {
    const start = Math.max(h.start, at);
    if (start >= h.end) return;
    if (start > at) out.push(...visible(text.slice(at, start), `p${n}`));
    out.push(
      <Tooltip key={`f${n}`} label={h.message} multiline maw={420} withArrow>
        <mark className={`gh-finding gh-finding-${h.severity}`} tabIndex={0} aria-label={`Finding: ${h.message}. Text: ${text.slice(start, h.end)}`}>
          {visible(text.slice(start, h.end), `f${n}`)}
        </mark>
      </Tooltip>,
    );
    at = h.end;
  });
  if (at < text.length) out.push(...visible(text.slice(at), 'rest'));
  if (text.length < whole.length) out.push(<ShowRest key="more" hidden={whole.length - text.length} what="characters" onShow={() => setAll(true)} />);
  return <>{out}</>;
}
