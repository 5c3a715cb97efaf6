/**
 * CSV building (RFC 4180) and download file names for chart exports. Pure functions only.
 */

export type CsvCell = string | number | null | undefined;

export interface CsvTable {
  columns: string[];
  rows: CsvCell[][];
}

/** RFC 4180 line break between records. */
export const CSV_LINE_BREAK = '\r\n';

/**
 * One field: null, undefined and non-finite numbers become an empty field; a field containing a
 * comma, a double quote, CR or LF is enclosed in double quotes with inner quotes doubled.
 */
export function csvField(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (/[",\r\n]/.test(value)) return `"${value.replaceAll('"', '""')}"`;
  return value;
}

/** A header record followed by one record per row, each ended by CRLF. */
export function buildCsv(table: CsvTable): string {
  const records = [table.columns, ...table.rows].map((record) => record.map(csvField).join(','));
  return records.map((record) => record + CSV_LINE_BREAK).join('');
}

const MAX_SLUG_LENGTH = 80;

/**
 * A file-system-safe slug of a title: accents removed, lower case, runs of anything other than
 * a-z and 0-9 turned into one hyphen, no leading or trailing hyphen, at most 80 characters.
 * An empty result becomes "chart".
 */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/-+$/, '');
  return slug === '' ? 'chart' : slug;
}

/** The download file name for a chart title and an extension without dot, e.g. "png". */
export function exportFileName(title: string, extension: string): string {
  return `${slugify(title)}.${extension}`;
}
