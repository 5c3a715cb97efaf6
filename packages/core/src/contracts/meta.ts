import { z } from 'zod';

export const TOOL_IDS = ['margin', 'backtest', 'returns', 'credit'] as const;
export type ToolId = (typeof TOOL_IDS)[number];

/** GET /api/meta: what the web shell needs before anyone signs in. */
export const hubMetaSchema = z.object({
  name: z.literal('Umbrella Hub'),
  version: z.string(),
  tools: z.array(
    z.object({
      id: z.enum(TOOL_IDS),
      title: z.string(),
      /** False until the tool's module lands; the shell shows "coming soon". */
      available: z.boolean(),
    }),
  ),
});

export type HubMeta = z.infer<typeof hubMetaSchema>;
