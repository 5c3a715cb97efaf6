import type { Kysely } from 'kysely';

export interface TableShape {
  /** "schema.table" on both databases (SQLite's "identity_users" is read back as "identity.users"). */
  readonly name: string;
  readonly columns: readonly {
    readonly name: string;
    readonly type: string;
    readonly nullable: boolean;
    readonly hasDefault: boolean;
  }[];
}

const MODULE_SCHEMAS = ['identity', 'market', 'margin', 'returns', 'credit'];

function qualifiedName(schema: string | undefined, table: string): string {
  if (schema !== undefined && schema !== 'public') return `${schema}.${table}`;
  const prefix = MODULE_SCHEMAS.find((module) => table.startsWith(`${module}_`));
  return prefix === undefined ? table : `${prefix}.${table.slice(prefix.length + 1)}`;
}

/** Tables and columns as Kysely's introspection sees them, sorted, for comparisons. */
export async function describeSchema<DB>(db: Kysely<DB>): Promise<TableShape[]> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  return tables
    .filter((table) => !table.isView)
    .map((table) => ({
      name: qualifiedName(table.schema, table.name),
      columns: table.columns
        .map((column) => ({
          name: column.name,
          type: column.dataType.toLowerCase(),
          nullable: column.isNullable,
          hasDefault: column.hasDefaultValue,
        }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
