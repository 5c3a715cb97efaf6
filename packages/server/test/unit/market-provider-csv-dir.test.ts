import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCsvDirSource } from '../../src/modules/market/providers/index.js';
import { rejection } from '../fixtures/market/expect-error.js';

// Scenario: MARKET_DATA_DIR points at the shared market data (../shared/data, prices/*.csv) and
// the csv-dir source reads SPY from it on demand; a second folder holds a file with a bad row.

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const marketDataDir = path.resolve(repoRoot, process.env.MARKET_DATA_DIR ?? '../shared/data');
const source = createCsvDirSource({ marketDataDir });

let badDir: string;

beforeAll(async () => {
  badDir = await mkdtemp(path.join(os.tmpdir(), 'hub-csv-dir-'));
  await mkdir(path.join(badDir, 'prices'));
  await writeFile(
    path.join(badDir, 'prices', 'BAD.csv'),
    [
      'date,open,high,low,close,adj_close,volume,dividend,split',
      '2025-09-25,657.94,659.41,654.41,658.05,658.05,89622100,0,0',
      '2025-09-26,659.51,662.37,657.88,-661.82,661.82,69142300,0,0',
    ].join('\n'),
  );
});

afterAll(async () => {
  await rm(badDir, { recursive: true, force: true });
});

describe('csv-dir source on the shared data', () => {
  it("reads all of SPY.csv with the file's first and last rows exactly", async () => {
    const bars = await source.getDailyBars('SPY');
    // data README: SPY 1993-01-29..2025-09-26, 8222 rows. First and last rows: SPY.csv lines 2
    // and 8223.
    expect(bars).toHaveLength(8222);
    expect(bars[0]).toEqual({
      date: '1993-01-29',
      open: 43.96875,
      high: 43.96875,
      low: 43.75,
      close: 43.9375,
      adj_close: 24.313047,
      volume: 1003200,
      dividend: 0,
      split: 0,
    });
    expect(bars.at(-1)).toEqual({
      date: '2025-09-26',
      open: 659.51,
      high: 662.37,
      low: 657.88,
      close: 661.82,
      adj_close: 661.82,
      volume: 69142300,
      dividend: 0,
      split: 0,
    });
  });

  it('keeps an inclusive window, dividends included', async () => {
    // SPY.csv lines 8033-8035: the 2024-12-20 ex-date (1.9660, data README) and the two days after.
    const bars = await source.getDailyBars('spy', '2024-12-20', '2024-12-24');
    expect(bars.map((bar) => [bar.date, bar.close, bar.dividend])).toEqual([
      ['2024-12-20', 591.15, 1.966],
      ['2024-12-23', 594.69, 0],
      ['2024-12-24', 601.3, 0],
    ]);
  });

  it("quotes the last row's close", async () => {
    expect(await source.getQuote('SPY')).toEqual({
      symbol: 'SPY',
      price: 661.82,
      as_of: '2025-09-26',
      source: 'csv-dir',
    });
  });

  it('a symbol without a file is unknown_symbol', async () => {
    const error = await rejection(source.getDailyBars('XYZQ'));
    expect(error.kind).toBe('unknown_symbol');
    expect(error.provider).toBe('csv-dir');
    expect(error.message).toBe(
      'There is no prices/XYZQ.csv in the market data folder (MARKET_DATA_DIR).',
    );
  });

  it('a name that could leave the folder is refused before any file is read', async () => {
    const error = await rejection(source.getDailyBars('../rates/EFFR'));
    expect(error.kind).toBe('unknown_symbol');
    expect(error.message).toBe(
      '"../rates/EFFR" is not a ticker symbol the market data folder can look up.',
    );
  });

  it('a file the importer would reject is malformed_response naming row, column and value', async () => {
    const error = await rejection(createCsvDirSource({ marketDataDir: badDir }).getQuote('BAD'));
    expect(error.kind).toBe('malformed_response');
    expect(error.message).toBe(
      'prices/BAD.csv in the market data folder has bad rows: row 3 close "-661.82" must be a positive price. Fix the file or import it with --skip-bad-rows.',
    );
  });
});
