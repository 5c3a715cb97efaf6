import type { Kysely } from 'kysely';
import type { HubTables } from '../../db/tables.js';

/** What an admin may see of one store of a user's saved work (D12: metadata, never content). */
export interface UserDataSummary {
  /** How many rows (saved results, analyses, calculations) the user has in the store. */
  readonly count: number;
  /** Their approximate size in bytes. */
  readonly bytes: number;
  /** Their names (titles), as the user typed them; never their content. */
  readonly items: readonly string[];
}

/**
 * A module's store of per-user saved work (margin history, saved backtests, saved analyses).
 * Modules register one at start-up; hard deletion (US-ADM-5) and the user's export iterate over
 * every registered store, so a new store is covered without touching identity.
 */
export interface UserDataStore {
  /** Unique, stable: the key of the store in the export archive and in the deletion audit. */
  readonly name: string;
  /** Metadata only (D12, C-10). */
  describe(userId: number): Promise<UserDataSummary>;
  /** Everything the user saved in this store, as JSON-serialisable data (the user's export). */
  export(userId: number): Promise<unknown>;
  /**
   * Deletes every row of the user in this store and returns how many went. `db` is the
   * transaction the user row is deleted in: a store in the hub database uses it, so that a
   * failed deletion changes nothing; throwing aborts the whole deletion.
   */
  delete(userId: number, db: Kysely<HubTables>): Promise<number>;
}

export interface UserDataRegistry {
  /** Adds a store; returns the function that removes it again (tests, shutdown). */
  register(store: UserDataStore): () => void;
  /** The registered stores, in registration order. */
  list(): readonly UserDataStore[];
}

export function createUserDataRegistry(): UserDataRegistry {
  const stores = new Map<string, UserDataStore>();
  return {
    register(store) {
      if (stores.has(store.name)) {
        throw new Error(`a user data store named "${store.name}" is already registered`);
      }
      stores.set(store.name, store);
      return () => {
        if (stores.get(store.name) === store) stores.delete(store.name);
      };
    },
    list: () => [...stores.values()],
  };
}

/** The process-wide registry the modules register their stores in (none is registered yet). */
export const userDataStores: UserDataRegistry = createUserDataRegistry();

/** Every store's metadata for one user, in registration order. */
export async function describeUserData(
  registry: UserDataRegistry,
  userId: number,
): Promise<{ name: string; count: number; bytes: number; items: string[] }[]> {
  const summaries = [];
  for (const store of registry.list()) {
    const summary = await store.describe(userId);
    summaries.push({
      name: store.name,
      count: summary.count,
      bytes: summary.bytes,
      items: [...summary.items],
    });
  }
  return summaries;
}

/** Every store's export for one user, keyed by store name (a null-prototype object). */
export async function exportUserData(
  registry: UserDataRegistry,
  userId: number,
): Promise<Record<string, unknown>> {
  const stores = Object.create(null) as Record<string, unknown>;
  for (const store of registry.list()) stores[store.name] = await store.export(userId);
  return stores;
}

/** Deletes the user's rows in every store within `db` (a transaction); counts by store name. */
export async function deleteUserData(
  registry: UserDataRegistry,
  userId: number,
  db: Kysely<HubTables>,
): Promise<Record<string, number>> {
  const counts = Object.create(null) as Record<string, number>;
  for (const store of registry.list()) counts[store.name] = await store.delete(userId, db);
  return counts;
}
