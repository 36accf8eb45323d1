/** A small HTTP client for tests: keeps the session cookie and CSRF token like a browser would. */
export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export class ApiClient {
  private cookie: string | undefined;
  csrfToken: string | undefined;
  bearer: string | undefined;

  constructor(readonly baseUrl: string) {}

  withToken(token: string): ApiClient {
    const client = new ApiClient(this.baseUrl);
    client.bearer = token;
    return client;
  }

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const allHeaders: Record<string, string> = { ...headers };
    if (body !== undefined) allHeaders['content-type'] = 'application/json';
    if (this.cookie) allHeaders.cookie = this.cookie;
    if (this.csrfToken && method !== 'GET') allHeaders['x-csrf-token'] = this.csrfToken;
    if (this.bearer) allHeaders.authorization = `Bearer ${this.bearer}`;
    const response = await fetch(this.baseUrl + path, { method, headers: allHeaders, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) {
      const [pair] = setCookie.split(';');
      this.cookie = pair!.endsWith('=') ? undefined : pair;
    }
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    if (parsed && typeof parsed === 'object' && 'csrfToken' in parsed && typeof (parsed as { csrfToken: unknown }).csrfToken === 'string') {
      this.csrfToken = (parsed as { csrfToken: string }).csrfToken;
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  }

  get<T = any>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', path, body ?? {}, headers);
  }
  patch<T = any>(path: string, body: unknown) {
    return this.request<T>('PATCH', path, body);
  }
  delete<T = any>(path: string) {
    return this.request<T>('DELETE', path);
  }
}

export const ownerPassword = 'correct horse battery staple';

/** Runs first-run setup and returns the signed-in owner's client. */
export async function setUpWorkspace(baseUrl: string, name = 'Acme', email = 'owner@acme.example'): Promise<{ owner: ApiClient; workspaceId: string }> {
  const owner = new ApiClient(baseUrl);
  const response = await owner.post('/api/v1/setup', { workspaceName: name, ownerName: 'Olivia Owner', email, password: ownerPassword });
  if (response.status !== 201) throw new Error(`setup failed: ${response.status} ${JSON.stringify(response.body)}`);
  return { owner, workspaceId: response.body.workspaceId };
}

/** Invites someone with a role and returns their signed-in client. */
export async function addStaff(owner: ApiClient, email: string, role: 'owner' | 'manager' | 'agent', name = email.split('@')[0]!): Promise<{ client: ApiClient; staffId: string }> {
  const invitation = await owner.post('/api/v1/invitations', { email, role });
  if (invitation.status !== 201) throw new Error(`invite failed: ${invitation.status} ${JSON.stringify(invitation.body)}`);
  const client = new ApiClient(owner.baseUrl);
  const accepted = await client.post('/api/v1/invitations/accept', { token: invitation.body.token, name, password: ownerPassword });
  if (accepted.status !== 200) throw new Error(`accept failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  const session = await client.get('/api/v1/auth/session');
  return { client, staffId: session.body.workspace.staffId };
}
