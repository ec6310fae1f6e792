// What the scanner reports: a finding names the attack family, how sure it is, where, and in words why.
export type Family =
  | 'hidden_instruction_tags'
  | 'coercive_ordering'
  | 'param_exfiltration'
  | 'credential_harvesting'
  | 'tool_shadowing'
  | 'concealment'
  | 'unicode_smuggling'
  | 'encoded_payload'
  | 'schema_injection'
  | 'comment_hiding'
  | 'impersonation'
  | 'prompt_injection'
  | 'oversized_definition';

export type Severity = 'low' | 'medium' | 'high';

export interface Finding {
  family: Family;
  severity: Severity;
  message: string;
  /** Where: "description", "name", or a path such as "inputSchema.properties.attach.default". */
  field: string;
  start: number;
  end: number;
  /** The matched text or sentence, invisible characters shown as <U+XXXX>. */
  excerpt: string;
}
