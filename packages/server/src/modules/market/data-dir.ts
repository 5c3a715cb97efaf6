import fs from 'node:fs/promises';
import path from 'node:path';
import type { ImportFile } from './service.js';

/** The only file I/O of the market module: reading CSV files and folders to import. */

async function csvFilesIn(folder: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await fs.readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries.filter((entry) => entry.toLowerCase().endsWith('.csv')).sort();
}

async function isDirectory(target: string): Promise<boolean> {
  try {
    return (await fs.stat(target)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * A data folder laid out like ../shared/data: prices/<SYMBOL>.csv and rates/<SERIES>.csv. Files
 * are named relative to `label` (the folder as the user wrote it), so issues point at them.
 */
async function readLaidOutFolder(folder: string, label: string): Promise<ImportFile[]> {
  const files: ImportFile[] = [];
  for (const kind of ['prices', 'rates'] as const) {
    for (const entry of await csvFilesIn(path.join(folder, kind))) {
      files.push({
        name: path.join(label, kind, entry),
        content: await fs.readFile(path.join(folder, kind, entry), 'utf8'),
        kind,
      });
    }
  }
  return files;
}

/** MARKET_DATA_DIR's prices/*.csv and rates/*.csv, named "prices/SPY.csv" and so on. */
export function readMarketDataDir(folder: string): Promise<ImportFile[]> {
  return readLaidOutFolder(folder, '');
}

/**
 * What `umbrella data import <file-or-folder>…` reads: a file as it is; a folder's prices/ and
 * rates/ subfolders when it has them, otherwise its *.csv files (the name tells symbol or series).
 */
export async function readImportPaths(paths: readonly string[]): Promise<ImportFile[]> {
  const files: ImportFile[] = [];
  for (const given of paths) {
    if (!(await isDirectory(given))) {
      files.push({ name: given, content: await fs.readFile(given, 'utf8') });
      continue;
    }
    const laidOut =
      (await isDirectory(path.join(given, 'prices'))) ||
      (await isDirectory(path.join(given, 'rates')));
    if (laidOut) {
      files.push(...(await readLaidOutFolder(given, given)));
      continue;
    }
    for (const entry of await csvFilesIn(given)) {
      const name = path.join(given, entry);
      files.push({ name, content: await fs.readFile(name, 'utf8') });
    }
  }
  return files;
}
