// A string a server sent, shown so nothing can hide: invisible and control characters appear as marked
// code points (tag characters with the letter they smuggle), and the scanner's findings are marked in
// place with their reason on hover and for screen readers.
import { Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';

export interface Highlight {
  start: number;
  end: number;
  message: string;
  severity: 'low' | 'medium' | 'high';
}

const HIDDEN = /[\p{Cf}\p{Cc}\p{Co}\u2028\u2029\u115F\u1160\u3164\uFFA0]/u;

function visible(text: string, keyPrefix: string): ReactNode[] {
  const out: ReactNode[] = [];
  let plain = '';
  let i = 0;
  for (const ch of text) {
    if (ch !== '\n' && ch !== '\t' && HIDDEN.test(ch)) {
      if (plain) out.push(plain);
      plain = '';
      const cp = ch.codePointAt(0)!;
      const tag = cp >= 0xe0020 && cp <= 0xe007e ? ` “${String.fromCharCode(cp - 0xe0000)}”` : '';
      const label = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}${tag}`;
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

export function VisibleText({ text, highlights = [] }: { text: string; highlights?: Highlight[] }) {
  const spans = [...highlights].filter((h) => h.end > h.start).sort((a, b) => a.start - b.start);
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
  return <>{out}</>;
}
