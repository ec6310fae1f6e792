// What Gatehouse knows of each server's tools, prompts and resources: persisted, so the catalog
// is searchable at start-up without starting anything.

export interface ToolDefinition {
  name: string;
  title?: string;
  description?: string;
  inputSchema: { type?: string; properties?: Record<string, unknown>; required?: string[]; [k: string]: unknown };
  outputSchema?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
  [k: string]: unknown;
}

export interface PromptDefinition {
  name: string;
  title?: string;
  description?: string;
  arguments?: { name: string; description?: string; required?: boolean }[];
  [k: string]: unknown;
}

export interface ResourceDefinition {
  uri: string;
  name: string;
  description?: string;
  mimeType?: string;
  [k: string]: unknown;
}

export interface ResourceTemplateDefinition {
  uriTemplate: string;
  name: string;
  description?: string;
  mimeType?: string;
  [k: string]: unknown;
}

export interface ServerCatalog {
  server: string;
  tools: ToolDefinition[];
  prompts: PromptDefinition[];
  resources: ResourceDefinition[];
  resourceTemplates: ResourceTemplateDefinition[];
  /** The server's own description of itself, from its initialize answer. */
  instructions?: string;
  serverInfo?: { name: string; version: string };
  fetchedAt: number;
}
