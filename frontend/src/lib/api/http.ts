// A small fetch wrapper for the REST API: JSON in and out, errors as ApiError
// with the server's code, reason and parameters (errorText makes the sentence).

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Which sentence explains it (see i18n/errors.ts). */
    readonly reason?: string,
    readonly params?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export async function request<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'network', '');
  }
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const e = (data ?? {}) as { code?: string; reason?: string; message?: string; params?: Record<string, unknown> };
    throw new ApiError(res.status, e.code ?? 'internal', e.message ?? '', e.reason, e.params);
  }
  return data as T;
}
