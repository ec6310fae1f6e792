// Shapes the admin API carries, as zod schemas (the TypeScript types are inferred from them).
import { z } from 'zod';
import { ServerConfigSchema } from '../config/schema.js';

export const ServerStateSchema = z.enum(['disabled', 'idle', 'connecting', 'ready', 'error', 'needs-secret']);

export const ServerStatusSchema = z.object({
  name: z.string(),
  state: ServerStateSchema,
  reason: z.string().optional(),
  transport: z.enum(['stdio', 'http', 'sse']),
  toolCount: z.number().int(),
  catalogAt: z.number().optional(),
  retryAt: z.number().optional(),
});

export const ServerInfoSchema = ServerStatusSchema.extend({
  /** What a person recognises the server by: its command line or URL. */
  target: z.string(),
  description: z.string().optional(),
  enabled: z.boolean(),
});

export const ServerNameSchema = z.string().min(1, 'name is required');

export const ToolSummarySchema = z.object({
  id: z.string(),
  server: z.string(),
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
});

export const ToolDetailSchema = ToolSummarySchema.extend({
  inputSchema: z.record(z.string(), z.unknown()),
  outputSchema: z.record(z.string(), z.unknown()).optional(),
  annotations: z.record(z.string(), z.unknown()).optional(),
});

export const SearchResultSchema = z.object({
  id: z.string(),
  server: z.string(),
  name: z.string(),
  description: z.string(),
  params: z.string(),
  score: z.number(),
});

export const LogLineSchema = z.object({
  server: z.string(),
  at: z.number(),
  source: z.enum(['stderr', 'gatehouse']),
  text: z.string(),
});

export const ContentBlockSchema = z.object({ type: z.string() }).loose();

export const CallResultSchema = z.object({
  content: z.array(ContentBlockSchema),
  structuredContent: z.record(z.string(), z.unknown()).optional(),
  isError: z.boolean().optional(),
});

export const RefreshResultSchema = z.object({
  server: z.string(),
  ok: z.boolean(),
  toolCount: z.number().int().optional(),
  error: z.string().optional(),
});

export { ServerConfigSchema };
