// Prometheus metrics at /metrics (behind a token): calls and their outcomes, call latency per
// server, upstream states. Labels are server and tool names and outcomes, never arguments or values.
import type { EventEmitter } from 'node:events';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ServerStatus } from '../../../src-shared/status.js';
import type { CallRecord } from '../calls/index.js';
import type { CoreEvents } from '../events.js';

const STATES = ['disabled', 'idle', 'connecting', 'ready', 'error', 'needs-secret', 'needs-sign-in'] as const;

export class Metrics {
  readonly registry = new Registry();
  private readonly calls = new Counter({ name: 'gatehouse_calls_total', help: 'Tool calls through Gatehouse, by server, tool and outcome', labelNames: ['server', 'tool', 'status'], registers: [this.registry] });
  private readonly latency = new Histogram({
    name: 'gatehouse_call_duration_seconds',
    help: 'How long tool calls took, by server',
    labelNames: ['server'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  private readonly state = new Gauge({ name: 'gatehouse_upstream_state', help: "Each upstream server's state (1 for the state it is in)", labelNames: ['server', 'state'], registers: [this.registry] });

  /** Starts counting; returns the function that stops. */
  watch(calls: { onRecorded(listener: (r: CallRecord) => void): () => void }, events: EventEmitter<CoreEvents>): () => void {
    const stop = calls.onRecorded((r) => {
      if (r.read) return;
      const server = r.server ?? '(unknown)';
      this.calls.inc({ server, tool: r.tool ?? '(unknown)', status: r.status });
      this.latency.observe({ server }, r.durationMs / 1000);
    });
    const onStatus = (s: ServerStatus) => {
      for (const state of STATES) this.state.set({ server: s.name, state }, state === s.state ? 1 : 0);
    };
    events.on('status', onStatus);
    return () => {
      stop();
      events.off('status', onStatus);
    };
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
