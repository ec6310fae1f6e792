// Errors the admin API answers with: a code a program can act on and a message a person can.
export type ApiErrorCode = 'invalid_input' | 'not_found' | 'conflict' | 'unavailable' | 'unauthorized' | 'forbidden' | 'internal';

export const HTTP_STATUS: Record<ApiErrorCode, number> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
  internal: 500,
};

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly problems: string[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toJSON() {
    return { error: this.code, message: this.message, ...(this.problems.length ? { problems: this.problems } : {}) };
  }

  static from(body: unknown, status: number): ApiError {
    const b = (body ?? {}) as { error?: string; message?: string; problems?: string[] };
    const code = (b.error && Object.hasOwn(HTTP_STATUS, b.error) ? b.error : status === 404 ? 'not_found' : 'internal') as ApiErrorCode;
    return new ApiError(code, b.message ?? `request failed with HTTP ${status}`, b.problems ?? []);
  }
}
