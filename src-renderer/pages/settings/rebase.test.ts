import { describe, expect, it } from 'vitest';
import { rebased } from './rebase.js';

type Form = { timeout: number; hidden: boolean; isolation: { network: string; memory?: string } };
const base: Form = { timeout: 120, hidden: true, isolation: { network: 'none' } };

describe('a settings draft carried onto settings saved elsewhere', () => {
  it('keeps the fields the person changed and shows the new value of the others', () => {
    const draft = { ...base, timeout: 300 };
    const next = { ...base, hidden: false, isolation: { network: 'bridge' } };
    expect(rebased(draft, base, next)).toEqual({ timeout: 300, hidden: false, isolation: { network: 'bridge' } });
  });

  it('keeps a value typed into a field that had none, and a field the person cleared', () => {
    const typed: Form = { ...base, isolation: { network: 'none', memory: '512m' } };
    expect(rebased(typed, base, { ...base, timeout: 60 })).toEqual({ ...base, timeout: 60, isolation: { network: 'none', memory: '512m' } });
    const set: Form = { ...base, isolation: { network: 'none', memory: '1g' } };
    const cleared: Form = { ...set, isolation: { network: 'none' } };
    expect(rebased(cleared, set, { ...set, timeout: 60 })).toEqual({ ...base, timeout: 60 });
  });

  it('shows a value set elsewhere in a field the person left alone', () => {
    expect(rebased(base, base, { ...base, isolation: { network: 'none', memory: '2g' } }).isolation.memory).toBe('2g');
  });
});
