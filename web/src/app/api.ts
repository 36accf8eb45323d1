/** The one way the web app talks to the server: JSON in, JSON out, problems as ApiError. */
export interface FieldError {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly errors: FieldError[] = [],
  ) {
    super(detail);
  }

  /** The message for one field (`email` matches `body.email`), if the server named it. */
  forField(field: string): string | undefined {
    const hit = this.errors.find((error) => error.path === field || error.path.endsWith(`.${field}`));
    return hit ? fieldSentence(hit.message) : undefined;
  }
}

function sentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return trimmed;
  const capital = trimmed[0]!.toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/**
 * The schema library's generic wording ("Too small: expected string to have >=1 characters") read
 * as a person would say it; anything else (the API's own sentences) passes through. The server
 * answers in the library's words (API clients see them), so every form translates here.
 */
function plain(message: string): string {
  const bound = /^Too (small|big): expected (string|number|array) to (?:have|be) ([<>]=?)(\d+(?:\.\d+)?)/.exec(message);
  if (bound) {
    const [, size, kind, , limitText] = bound;
    const limit = Number(limitText);
    if (kind === 'string') return size === 'small' ? (limit <= 1 ? 'Fill this in' : `Use at least ${limit} characters`) : `Use at most ${limit} characters`;
    if (kind === 'number') return size === 'small' ? `Use ${limit} or more` : `Use ${limit} or less`;
    return size === 'small' ? (limit <= 1 ? 'Add at least one' : `Add at least ${limit}`) : `Use at most ${limit}`;
  }
  if (/^Invalid input: expected \w+, received (null|undefined)/.test(message)) return 'Choose or fill this in';
  if (/^Invalid (input|option): expected one of/.test(message)) return 'Choose one of the offered values';
  if (/^Invalid email/.test(message)) return 'Enter an email address such as name@example.com';
  if (/^Unrecognized key/.test(message)) return 'This field is not one the form may send';
  return message;
}

/** One field's problem as a plain sentence. */
export const fieldSentence = (message: string) => sentence(plain(message));

/** "body.filters.teamId" → "Team id": the field a message is about, for a summary above a form. */
function fieldName(path: string): string {
  const last = path.split('.').filter((part) => !/^\d+$/.test(part)).pop() ?? path;
  const words = last.replace(/([a-z])([A-Z])/g, '$1 $2').replaceAll('_', ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A refused request's summary: the fields' problems in plain words rather than "body.x: Too small: …". */
function problemSentence(detail: string, errors: FieldError[]): string {
  if (errors.length === 0) return sentence(detail);
  return errors
    .map((error) => {
      const message = plain(error.message).trim();
      // The API's own field messages are fragments ("is not in this workspace") that follow the field's name.
      return /^[a-z]/.test(message) ? sentence(`${fieldName(error.path)} ${message}`) : `${fieldName(error.path)}: ${sentence(message)}`;
    })
    .join(' ');
}

let csrfToken: string | null = null;

/** Remembered from GET /api/v1/auth/session, sign-in and setup; sent with every change. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export async function api<T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'The server could not be reached. Check your connection and try again.');
  }
  const text = await response.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const problem = (parsed ?? {}) as { detail?: string; title?: string; errors?: FieldError[] };
    const errors = Array.isArray(problem.errors) ? problem.errors : [];
    throw new ApiError(response.status, problemSentence(problem.detail ?? problem.title ?? `The server answered ${response.status}.`, errors), errors);
  }
  if (parsed && typeof parsed === 'object' && 'csrfToken' in parsed && typeof (parsed as { csrfToken: unknown }).csrfToken === 'string') {
    csrfToken = (parsed as { csrfToken: string }).csrfToken;
  }
  return parsed as T;
}

export const get = <T,>(path: string) => api<T>('GET', path);
export const post = <T,>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});
export const put = <T,>(path: string, body: unknown) => api<T>('PUT', path, body);
export const patch = <T,>(path: string, body: unknown) => api<T>('PATCH', path, body);
export const del = <T,>(path: string) => api<T>('DELETE', path);

export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
