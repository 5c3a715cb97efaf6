import fs from 'node:fs';
import path from 'node:path';
import type { Role } from '@hub/core';
import type { TestHub } from './app.js';
import { createUser, signIn } from './identity.js';

/** The real data folder (CI and `.ci/run` set MARKET_DATA_DIR=../shared/data), or undefined. */
export function sharedDataDir(): string | undefined {
  const dir = process.env.MARKET_DATA_DIR;
  return dir === undefined || dir === '' ? undefined : path.resolve(dir);
}

/** Signs in a fresh user of the role; returns the Cookie header value. */
export async function cookieFor(hub: TestHub, role: Role, email = `${role}@example.com`) {
  const user = await createUser(hub, { email, role });
  return signIn(hub, user.email, user.password);
}

/** Every file under prices/ and rates/ of a data folder, as the import route takes them. */
export function dataFolderFiles(dir: string): { name: string; content: string }[] {
  return ['prices', 'rates'].flatMap((kind) =>
    fs
      .readdirSync(path.join(dir, kind))
      .filter((entry) => entry.endsWith('.csv'))
      .sort()
      .map((entry) => ({
        name: entry,
        content: fs.readFileSync(path.join(dir, kind, entry), 'utf8'),
      })),
  );
}

/**
 * A CSV file's data rows by plain string splitting, independently of the importer: one record per
 * line after the header, keyed by the header's names.
 */
export function readCsvByHand(file: string): Record<string, string>[] {
  const [header = '', ...lines] = fs.readFileSync(file, 'utf8').trim().split('\n');
  const names = header.trim().split(',');
  return lines.map((line) => {
    const cells = line.trim().split(',');
    return Object.fromEntries(names.map((name, index) => [name, cells[index] ?? '']));
  });
}
