import {
  OperationNodeTransformer,
  PrimitiveValueListNode,
  SchemableIdentifierNode,
  SqliteAdapter,
  SqliteDialect,
  ValueNode,
  type DialectAdapter,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';

/**
 * Repositories name tables by module schema ("identity.users"), as PostgreSQL stores them.
 * SQLite keeps everything in one file with no schemas, so the schema becomes a table-name
 * prefix ("identity_users"). better-sqlite3 cannot bind booleans, so they become 1 and 0.
 */
class SqliteCompatTransformer extends OperationNodeTransformer {
  protected override transformSchemableIdentifier(
    node: SchemableIdentifierNode,
  ): SchemableIdentifierNode {
    const transformed = super.transformSchemableIdentifier(node);
    if (transformed.schema === undefined) return transformed;
    return SchemableIdentifierNode.create(
      `${transformed.schema.name}_${transformed.identifier.name}`,
    );
  }

  protected override transformValue(node: ValueNode): ValueNode {
    const transformed = super.transformValue(node);
    return typeof transformed.value === 'boolean'
      ? ValueNode.create(transformed.value ? 1 : 0)
      : transformed;
  }

  protected override transformPrimitiveValueList(
    node: PrimitiveValueListNode,
  ): PrimitiveValueListNode {
    const transformed = super.transformPrimitiveValueList(node);
    if (!transformed.values.some((value) => typeof value === 'boolean')) return transformed;
    return PrimitiveValueListNode.create(
      transformed.values.map((value) => (typeof value === 'boolean' ? (value ? 1 : 0) : value)),
    );
  }
}

export class SqliteCompatPlugin implements KyselyPlugin {
  readonly #transformer = new SqliteCompatTransformer();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#transformer.transformNode(args.node);
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}

/** SQLite runs DDL inside transactions; Kysely's adapter says otherwise to be safe. */
class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/** So that a failing migration rolls back with everything else in its run. */
export class TransactionalSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new TransactionalSqliteAdapter();
  }
}
