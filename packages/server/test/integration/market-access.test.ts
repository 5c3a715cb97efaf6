import type { Role } from '@hub/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, type TestHub } from '../helpers/app.js';
import { cookieFor } from '../helpers/market.js';

const IMPORT = {
  files: [{ name: 'ACC.csv', content: 'date,close\n2024-01-02,10\n' }],
};

// Scenario: every signed-in user reads market data; only admins import it; anonymous callers
// get nothing.
describe('market routes: who may call what', () => {
  let hub: TestHub;
  const cookies = new Map<Role, string>();
  beforeAll(async () => {
    hub = await createTestHub({ env: { MFA_REQUIRED_ROLES: 'none' } });
    for (const role of ['viewer', 'analyst', 'manager', 'admin'] as const) {
      cookies.set(role, await cookieFor(hub, role));
    }
  });
  afterAll(() => hub.close());

  const post = (cookie?: string) =>
    hub.app.inject({
      method: 'POST',
      url: '/api/market/imports',
      payload: IMPORT,
      ...(cookie === undefined ? {} : { headers: { cookie } }),
    });

  it('anonymous: 401 on reads and imports', async () => {
    expect((await hub.app.inject({ method: 'GET', url: '/api/market/catalog' })).statusCode).toBe(
      401,
    );
    expect((await post()).statusCode).toBe(401);
  });

  it('viewer, analyst and manager: read 200, import 403', async () => {
    for (const role of ['viewer', 'analyst', 'manager'] as const) {
      const cookie = cookies.get(role);
      const read = await hub.app.inject({
        method: 'GET',
        url: '/api/market/catalog',
        headers: { cookie: cookie ?? '' },
      });
      expect(read.statusCode, role).toBe(200);
      expect((await post(cookie)).statusCode, role).toBe(403);
    }
    expect((await hub.app.hub.market.catalog()).symbols).toEqual([]);
  });

  it('admin: import 200, then the viewer sees the symbol', async () => {
    expect((await post(cookies.get('admin'))).statusCode).toBe(200);
    const bars = await hub.app.inject({
      method: 'GET',
      url: '/api/market/symbols/ACC/bars',
      headers: { cookie: cookies.get('viewer') ?? '' },
    });
    expect(bars.statusCode).toBe(200);
  });

  it('refuses a malformed import body with 400 naming the field', async () => {
    const response = await hub.app.inject({
      method: 'POST',
      url: '/api/market/imports',
      headers: { cookie: cookies.get('admin') ?? '' },
      payload: { files: [] },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('body.files');
  });
});
