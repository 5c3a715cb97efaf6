import { describe, expect, it } from 'vitest';
import { buildCsv, csvField, exportFileName, slugify } from '../src/components/charts/csv';

// Expected strings below are written by hand from RFC 4180 section 2:
// records end with CRLF, fields are separated by commas, and a field containing a comma,
// a double quote, CR or LF is enclosed in double quotes, an inner quote written as two quotes.

describe('csvField', () => {
  it('leaves plain text and numbers as they are', () => {
    expect(csvField('SPY')).toBe('SPY');
    expect(csvField(100)).toBe('100');
    expect(csvField(-0.25)).toBe('-0.25');
  });

  it('quotes a field containing a comma', () => {
    expect(csvField('Smith, John')).toBe('"Smith, John"');
  });

  it('quotes a field containing a double quote and doubles the quote', () => {
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('"')).toBe('""""');
  });

  it('quotes a field containing LF, CR or CRLF', () => {
    expect(csvField('a\nb')).toBe('"a\nb"');
    expect(csvField('a\rb')).toBe('"a\rb"');
    expect(csvField('a\r\nb')).toBe('"a\r\nb"');
  });

  it('writes null, undefined and non-finite numbers as empty fields', () => {
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField(Number.NaN)).toBe('');
    expect(csvField(Number.POSITIVE_INFINITY)).toBe('');
  });

  it('does not quote leading or trailing spaces (spaces are part of a field)', () => {
    expect(csvField(' a ')).toBe(' a ');
  });
});

describe('buildCsv', () => {
  it('writes a header record and one record per row, each ending with CRLF', () => {
    const csv = buildCsv({
      columns: ['date', 'value'],
      rows: [
        ['2024-01-02', 100],
        ['2024-01-03', 100.1],
      ],
    });
    expect(csv).toBe('date,value\r\n2024-01-02,100\r\n2024-01-03,100.1\r\n');
  });

  it('quotes where needed and leaves missing values empty', () => {
    const csv = buildCsv({
      columns: ['name', 'note', 'x'],
      rows: [
        ['Acme, Inc.', 'the "best"', null],
        [null, 'line 1\nline 2', 3],
      ],
    });
    expect(csv).toBe(
      'name,note,x\r\n' + '"Acme, Inc.","the ""best""",\r\n' + ',"line 1\nline 2",3\r\n',
    );
  });

  it('writes only the header when there are no rows', () => {
    expect(buildCsv({ columns: ['a', 'b'], rows: [] })).toBe('a,b\r\n');
  });
});

describe('slugify and exportFileName', () => {
  it('lower-cases and joins words with single hyphens', () => {
    expect(slugify('Compounding index')).toBe('compounding-index');
    expect(slugify('SPY vs. QQQ: drawdown (%)')).toBe('spy-vs-qqq-drawdown');
  });

  it('removes accents and trims separators at both ends', () => {
    expect(slugify('  Équité — été 2024!  ')).toBe('equite-ete-2024');
  });

  it('falls back to "chart" when nothing usable is left', () => {
    expect(slugify('')).toBe('chart');
    expect(slugify('%%%')).toBe('chart');
  });

  it('keeps at most 80 characters and no trailing hyphen after the cut', () => {
    const title = `${'a'.repeat(79)} b`;
    expect(slugify(title)).toBe('a'.repeat(79));
    expect(slugify('x'.repeat(200))).toBe('x'.repeat(80));
  });

  it('appends the extension', () => {
    expect(exportFileName('Compounding index', 'png')).toBe('compounding-index.png');
    expect(exportFileName('Compounding index', 'csv')).toBe('compounding-index.csv');
  });
});
