import {
  barsQuerySchema,
  barsResponseSchema,
  importResultSchema,
  marketCatalogSchema,
  quoteSchema,
  rateSeriesSchema,
  ratesResponseSchema,
  symbolSchema,
  type ImportIssue,
} from '@hub/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HttpProblem } from '../../http/problem.js';
import { MarketError, type MarketService } from './service.js';

const tags = ['market'];

/** Uploads carry whole CSV files as JSON text: all of ../shared/data is about 3 MB. */
export const IMPORT_BODY_LIMIT = 25 * 1024 * 1024;

const importRequestSchema = z.object({
  files: z
    .array(
      z.object({
        name: z.string().trim().min(1, 'name must not be empty').max(255),
        content: z.string(),
      }),
    )
    .min(1, 'files must list at least one file')
    .max(100, 'files may list at most 100 files'),
  skip_bad_rows: z.boolean().optional(),
});

const symbolParamsSchema = z.object({ symbol: symbolSchema });
const seriesParamsSchema = z.object({ series: rateSeriesSchema });

/** "SPY.csv row 501, column close, value "-3": must be a positive price". */
export function describeIssue(issue: ImportIssue): string {
  const where = [
    issue.row === null ? null : `row ${String(issue.row)}`,
    issue.column === null ? null : `column ${issue.column}`,
    issue.value === null ? null : `value "${issue.value}"`,
  ].filter((part) => part !== null);
  return `${issue.file}${where.length > 0 ? ` ${where.join(', ')}` : ''}: ${issue.message}`;
}

/** The service's errors as problem+json answers. */
function toHttpProblem(error: MarketError, files: readonly string[] = []): HttpProblem {
  switch (error.kind) {
    case 'unknown_symbol':
      return new HttpProblem(404, 'Unknown symbol', error.message, undefined, 'unknown_symbol');
    case 'unknown_rate_series':
      return new HttpProblem(
        404,
        'Rate series not stored',
        error.message,
        undefined,
        'unknown_rate_series',
      );
    case 'rate_limited':
      return new HttpProblem(
        429,
        'Price provider rate limit',
        error.message,
        undefined,
        'rate_limited',
        error.retryAfterSeconds === undefined
          ? undefined
          : { 'retry-after': String(error.retryAfterSeconds) },
      );
    case 'import_rejected':
      return new HttpProblem(
        422,
        'Import rejected',
        error.message,
        error.issues.map((issue) => {
          const index = files.indexOf(issue.file);
          const path = [
            'body.files',
            index === -1 ? null : String(index),
            issue.row === null ? null : `rows.${String(issue.row)}`,
            issue.column,
          ]
            .filter((part) => part !== null)
            .join('.');
          return {
            path,
            message: describeIssue(issue),
            file: issue.file,
            ...(issue.row === null ? {} : { row: issue.row }),
            ...(issue.column === null ? {} : { column: issue.column }),
            ...(issue.value === null ? {} : { value: issue.value }),
          };
        }),
        'import_rejected',
      );
  }
}

async function answering<T>(work: () => Promise<T>, files?: readonly string[]): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof MarketError) throw toHttpProblem(error, files);
    throw error;
  }
}

/** /api/market: catalog, bars, quotes and rates for viewers; imports for admins. */
export function registerMarketRoutes(root: FastifyInstance, service: MarketService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/market/catalog',
    {
      config: { access: { role: 'viewer' } },
      schema: { tags, response: { 200: marketCatalogSchema } },
    },
    () => service.catalog(),
  );

  app.get(
    '/api/market/symbols/:symbol/bars',
    {
      config: { access: { role: 'viewer' } },
      schema: {
        tags,
        params: symbolParamsSchema,
        querystring: barsQuerySchema,
        response: { 200: barsResponseSchema },
      },
    },
    (request) =>
      answering(() => service.bars(request.params.symbol, request.query.from, request.query.to)),
  );

  app.get(
    '/api/market/symbols/:symbol/quote',
    {
      config: { access: { role: 'viewer' } },
      schema: { tags, params: symbolParamsSchema, response: { 200: quoteSchema } },
    },
    (request) => answering(() => service.quote(request.params.symbol)),
  );

  app.get(
    '/api/market/rates/:series',
    {
      config: { access: { role: 'viewer' } },
      schema: {
        tags,
        params: seriesParamsSchema,
        querystring: barsQuerySchema,
        response: { 200: ratesResponseSchema },
      },
    },
    async (request) => {
      const { series } = request.params;
      const points = await answering(() =>
        service.rates(series, request.query.from, request.query.to),
      );
      return { series, points };
    },
  );

  app.post(
    '/api/market/imports',
    {
      config: { access: { role: 'admin' } },
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: { tags, body: importRequestSchema, response: { 200: importResultSchema } },
    },
    (request) => {
      const { files, skip_bad_rows: skipBadRows } = request.body;
      return answering(
        () =>
          service.importFiles(
            files.map((file) => ({ name: file.name, content: file.content })),
            { skipBadRows: skipBadRows === true, source: 'import' },
          ),
        files.map((file) => file.name),
      );
    },
  );
}
