/**
 * Domain errors carry a code; this file is the one place codes become HTTP statuses. The table is
 * exhaustive over ErrorCode, so adding a code without a status fails to compile.
 */
export type ErrorCode =
  | 'not_found'
  | 'validation_failed'
  | 'unauthenticated'
  | 'forbidden'
  | 'csrf_failed'
  | 'conflict'
  | 'rate_limited'
  | 'idempotency_key_reused'
  | 'setup_already_done'
  | 'invalid_credentials'
  | 'invalid_state'
  | 'webhook_destination_refused'
  | 'payload_too_large';

export const statusByErrorCode: Record<ErrorCode, number> = {
  not_found: 404,
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  csrf_failed: 403,
  conflict: 409,
  rate_limited: 429,
  idempotency_key_reused: 422,
  setup_already_done: 409,
  invalid_credentials: 401,
  invalid_state: 409,
  webhook_destination_refused: 422,
  payload_too_large: 413,
};

export const titleByErrorCode: Record<ErrorCode, string> = {
  not_found: 'Not found',
  validation_failed: 'The request is not valid',
  unauthenticated: 'Sign in required',
  forbidden: 'Not allowed',
  csrf_failed: 'Missing or wrong CSRF token',
  conflict: 'Conflict',
  rate_limited: 'Too many attempts',
  idempotency_key_reused: 'Idempotency-Key reused with a different request',
  setup_already_done: 'Setup is already done',
  invalid_credentials: 'Email or password is wrong',
  invalid_state: 'Not possible in the current state',
  webhook_destination_refused: 'Webhook destination refused',
  payload_too_large: 'Request body too large',
};

export interface FieldError {
  path: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly fieldErrors: FieldError[] = [],
    readonly retryAfterSeconds?: number,
  ) {
    super(message ?? titleByErrorCode[code]);
  }
}

export const notFound = (what: string) => new DomainError('not_found', `${what} was not found in this workspace.`);
export const forbidden = (why: string) => new DomainError('forbidden', why);
export const invalidState = (why: string) => new DomainError('invalid_state', why);
