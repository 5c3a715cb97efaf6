import { describe, expect, it } from 'vitest';
import { problemSchema } from '../src/index.js';

// Scenario: the web app reads an error answer; RFC 9457 §3.1 makes type, title and status the
// members every problem here carries, and status must be an HTTP error code.
describe('problem+json contract', () => {
  it('accepts a validation problem with field errors', () => {
    const problem = {
      type: 'about:blank',
      title: 'Invalid request',
      status: 400,
      detail: 'body.email: Invalid email address',
      errors: [{ path: 'body.email', message: 'Invalid email address' }],
    };
    expect(problemSchema.parse(problem)).toEqual(problem);
  });

  it('refuses a success status and a missing title', () => {
    expect(problemSchema.safeParse({ type: 'about:blank', title: 'OK', status: 200 }).success).toBe(
      false,
    );
    expect(problemSchema.safeParse({ type: 'about:blank', status: 404 }).success).toBe(false);
  });
});
