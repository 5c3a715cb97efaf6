/**
 * The one HTTP client of the web app: same-origin JSON requests whose failures are all thrown as
 * {@link ApiError}. Non-2xx bodies are read as RFC 9457 problem details (application/problem+json).
 *
 * The parsing is done by pure functions (parseProblem, networkError) so it can be unit-tested
 * without a browser.
 */

import { reasonPhrase, type FieldError, type Problem } from '@hub/core';

export type { FieldError, Problem };

/** Anything with a zod-like `parse` method that turns unknown JSON into a typed value. */
export interface Schema<T> {
  parse: (value: unknown) => T;
}

/** The single error type of the web app's API layer. `status` is 0 when no response arrived. */
export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly type: string;
  readonly detail: string | undefined;
  readonly instance: string | undefined;
  readonly errors: FieldError[];
  /** The problem's machine-readable `code` member, e.g. "reauth_required". */
  readonly code: string | undefined;
  /**
   * Every member of the problem body as sent (empty when there was no JSON object), so a feature
   * can read extension members it knows, e.g. the market import's per-row `errors`
   * ({ file, row, column, value, message }) that `errors` above reduces to { path, message }.
   */
  readonly members: Readonly<Record<string, unknown>>;

  constructor(problem: Problem, members: Readonly<Record<string, unknown>> = {}) {
    super(problem.detail === undefined ? problem.title : `${problem.title}: ${problem.detail}`);
    this.name = 'ApiError';
    this.status = problem.status;
    this.title = problem.title;
    this.type = problem.type;
    this.detail = problem.detail;
    this.instance = problem.instance;
    this.errors = problem.errors ?? [];
    this.code = problem.code;
    this.members = members;
  }
}

export const NETWORK_ERROR_TITLE = 'The server could not be reached';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function fallbackTitle(status: number, statusText: string): string {
  return reasonPhrase(status) ?? (statusText !== '' ? statusText : `HTTP error ${status}`);
}

function parseFieldErrors(value: unknown): FieldError[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const errors: FieldError[] = [];
  for (const item of value) {
    if (isRecord(item) && typeof item.path === 'string' && typeof item.message === 'string') {
      errors.push({ path: item.path, message: item.message });
    }
  }
  return errors;
}

/**
 * Turns a non-2xx response (status, status text and raw body text) into an ApiError.
 * The HTTP status code wins over the body's `status` member (RFC 9457 section 3.1.3).
 * A body that is not a JSON object yields a problem of type about:blank titled with the reason
 * phrase; the body itself is not shown, since it may be an HTML error page or a stack trace.
 */
export function parseProblem(status: number, statusText: string, bodyText: string): ApiError {
  let body: unknown;
  try {
    body = bodyText === '' ? undefined : JSON.parse(bodyText);
  } catch {
    body = undefined;
  }
  if (!isRecord(body)) {
    return new ApiError({ type: 'about:blank', title: fallbackTitle(status, statusText), status });
  }
  const problem: Problem = {
    type: optionalString(body.type) ?? 'about:blank',
    title: optionalString(body.title) ?? fallbackTitle(status, statusText),
    status,
  };
  const detail = optionalString(body.detail);
  if (detail !== undefined) problem.detail = detail;
  const instance = optionalString(body.instance);
  if (instance !== undefined) problem.instance = instance;
  const errors = parseFieldErrors(body.errors);
  if (errors !== undefined) problem.errors = errors;
  const code = optionalString(body.code);
  if (code !== undefined) problem.code = code;
  return new ApiError(problem, body);
}

/** The ApiError for a request that got no HTTP response at all (offline, DNS, refused, CORS). */
export function networkError(cause: unknown): ApiError {
  const reason = cause instanceof Error && cause.message !== '' ? cause.message : undefined;
  return new ApiError({
    type: 'about:blank',
    title: NETWORK_ERROR_TITLE,
    status: 0,
    detail:
      reason === undefined
        ? 'Check your connection and try again.'
        : `Check your connection and try again (${reason}).`,
  });
}

/** The ApiError for a 2xx response whose body is not the JSON the client expected. */
export function invalidResponseError(status: number, reason: string): ApiError {
  return new ApiError({
    type: 'about:blank',
    title: 'Unexpected response from the server',
    status,
    detail: reason,
  });
}

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface RequestOptions {
  /** Replaces the global fetch (tests). */
  fetch?: FetchLike;
  signal?: AbortSignal;
}

async function request(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body: unknown,
  options: RequestOptions,
): Promise<{ status: number; data: unknown }> {
  const doFetch: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  const init: RequestInit = { method, headers, credentials: 'same-origin' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (options.signal !== undefined) init.signal = options.signal;

  let response: Response;
  let text: string;
  try {
    response = await doFetch(path, init);
    text = await response.text();
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw networkError(cause);
  }
  if (!response.ok) throw parseProblem(response.status, response.statusText, text);
  if (text === '') return { status: response.status, data: undefined };
  try {
    return { status: response.status, data: JSON.parse(text) as unknown };
  } catch {
    throw invalidResponseError(response.status, 'The response body is not valid JSON.');
  }
}

function validate<T>(response: { status: number; data: unknown }, schema?: Schema<T>): T {
  if (schema === undefined) return response.data as T;
  try {
    return schema.parse(response.data);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : 'The response has an unexpected shape.';
    throw invalidResponseError(response.status, reason);
  }
}

/** GET a JSON resource. Pass a schema to check the body's shape at run time. */
export async function apiGet<T>(
  path: string,
  schema?: Schema<T>,
  options: RequestOptions = {},
): Promise<T> {
  return validate(await request('GET', path, undefined, options), schema);
}

/** POST a JSON body and read the JSON answer (undefined for an empty body, e.g. 204). */
export async function apiPost<T>(
  path: string,
  body: unknown,
  schema?: Schema<T>,
  options: RequestOptions = {},
): Promise<T> {
  return validate(await request('POST', path, body, options), schema);
}

/** PATCH a JSON body and read the JSON answer. */
export async function apiPatch<T>(
  path: string,
  body: unknown,
  schema?: Schema<T>,
  options: RequestOptions = {},
): Promise<T> {
  return validate(await request('PATCH', path, body, options), schema);
}

/** DELETE a resource (with an optional JSON body) and read the answer, if any. */
export async function apiDelete<T>(
  path: string,
  body?: unknown,
  schema?: Schema<T>,
  options: RequestOptions = {},
): Promise<T> {
  return validate(await request('DELETE', path, body, options), schema);
}
