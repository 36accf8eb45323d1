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
    return hit ? sentence(hit.message) : undefined;
  }
}

function sentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return trimmed;
  const capital = trimmed[0]!.toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
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
    throw new ApiError(response.status, sentence(problem.detail ?? problem.title ?? `The server answered ${response.status}.`), Array.isArray(problem.errors) ? problem.errors : []);
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
