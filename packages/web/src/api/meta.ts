import { useQuery } from '@tanstack/react-query';
import type { ToolId } from '../tools';
import { apiGet, type Schema } from './client';

export interface MetaTool {
  id: ToolId;
  title: string;
  available: boolean;
}

/** GET /api/meta: the hub's name, version and which tools are installed. */
export interface Meta {
  name: string;
  version: string;
  tools: MetaTool[];
}

const TOOL_IDS: readonly string[] = ['margin', 'backtest', 'returns', 'credit'];

function isToolId(value: unknown): value is ToolId {
  return typeof value === 'string' && TOOL_IDS.includes(value);
}

function fail(what: string): never {
  throw new Error(`GET /api/meta: ${what}`);
}

/** Checks the shape of /api/meta; unknown tool ids are skipped so new tools do not break the UI. */
export const metaSchema: Schema<Meta> = {
  parse(value: unknown): Meta {
    if (typeof value !== 'object' || value === null) fail('the body is not an object');
    const record = value as Record<string, unknown>;
    const { name, version, tools } = record;
    if (typeof name !== 'string') fail('"name" is not a string');
    if (typeof version !== 'string') fail('"version" is not a string');
    if (!Array.isArray(tools)) fail('"tools" is not an array');
    const parsed: MetaTool[] = [];
    for (const tool of tools as unknown[]) {
      if (typeof tool !== 'object' || tool === null) fail('a tool is not an object');
      const t = tool as Record<string, unknown>;
      if (typeof t.title !== 'string') fail('a tool\'s "title" is not a string');
      if (typeof t.available !== 'boolean') fail('a tool\'s "available" is not a boolean');
      if (isToolId(t.id)) parsed.push({ id: t.id, title: t.title, available: t.available });
    }
    return { name, version, tools: parsed };
  },
};

export function useMeta() {
  return useQuery({
    queryKey: ['meta'],
    queryFn: ({ signal }) => apiGet('/api/meta', metaSchema, { signal }),
    staleTime: 5 * 60 * 1000,
  });
}
