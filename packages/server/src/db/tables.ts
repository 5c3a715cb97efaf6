import type { IdentityTables } from '../modules/identity/tables.js';
import type { MarginTables } from '../modules/margin/tables.js';
import type { MarketTables } from '../modules/market/tables.js';

/**
 * Every table the hub has, keyed "schema.table" as on PostgreSQL (on SQLite the schema becomes a
 * table-name prefix). Each module declares its own tables; only its repository queries them.
 */
export type HubTables = IdentityTables & MarketTables & MarginTables;
