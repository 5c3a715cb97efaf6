import type { ImportResult } from '@hub/core';
import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Code,
  FileInput,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../../api/client';
import { ErrorAlert, TableRegion } from '../admin/adminUi';
import { useReauth } from '../identity/session';
import { MARKET_DATA_PAGE } from '../../tools';
import { fetchCatalog, importFiles, marketKeys } from './api';
import {
  DEFINITIONS,
  formatCount,
  IMPORT_COMMAND,
  importIssuesOf,
  importSelectionError,
  type ImportIssueRow,
} from './helpers';
import { Term } from './Term';

interface UploadInput {
  files: File[];
  skipBadRows: boolean;
}

/**
 * /admin/market-data (admin): upload price or rate CSV files to POST /api/market/imports and
 * show what each file did; a refused upload lists every bad row with its column and value.
 */
export function MarketImportPanel() {
  const [files, setFiles] = useState<File[]>([]);
  const [skipBadRows, setSkipBadRows] = useState(false);
  const [selectionError, setSelectionError] = useState<string | undefined>(undefined);
  const queryClient = useQueryClient();
  const withReauth = useReauth();
  const catalog = useQuery({
    queryKey: marketKeys.catalog(),
    queryFn: ({ signal }) => fetchCatalog(signal),
  });

  const upload = useMutation({
    mutationFn: async (input: UploadInput) => {
      const contents = await Promise.all(
        input.files.map(async (file) => ({ name: file.name, content: await file.text() })),
      );
      return withReauth(() => importFiles(contents, input.skipBadRows));
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: marketKeys.all });
    },
  });

  function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const error = importSelectionError(files);
    setSelectionError(error);
    if (error !== undefined) return;
    upload.mutate({ files, skipBadRows });
  }

  const issues = upload.isError
    ? importIssuesOf(
        upload.error,
        upload.variables.files.map((file) => file.name),
      )
    : undefined;

  return (
    <Stack gap="md">
      <Title order={2}>Market data</Title>
      <Text>
        Upload daily price files (header{' '}
        <Code>date,open,high,low,close,adj_close,volume,dividend,split</Code> or a Yahoo, Stooq or
        FMP export; the file name is the symbol, e.g. SPY.csv) or rate files (
        <Code>date,rate_pct</Code> or a FRED download; EFFR.csv, FEDFUNDS.csv, TB3MS.csv). Every row
        is checked first: a file with a bad row imports nothing unless you skip bad rows. Large
        folders import faster on the server with <Code>{IMPORT_COMMAND}</Code>.
      </Text>
      {catalog.data !== undefined && (
        <Text size="sm">
          Current <Term definition={DEFINITIONS.datasetVersion}>dataset version</Term>:{' '}
          <Code data-testid="current-dataset-version">{catalog.data.dataset_version}</Code> (
          {formatCount(catalog.data.symbols.length)} symbols,{' '}
          {formatCount(catalog.data.rates.length)} rate series;{' '}
          <Anchor component={Link} to={MARKET_DATA_PAGE.path} inherit>
            see the Market data page
          </Anchor>
          ).
        </Text>
      )}

      <form onSubmit={submit} noValidate aria-label="Import market data">
        <Stack gap="sm" maw={560}>
          <FileInput
            label="CSV files"
            description="One or more .csv files, 24 MB in all at most."
            placeholder="Choose files"
            multiple
            clearable
            clearButtonProps={{ 'aria-label': 'Clear the chosen files' }}
            accept=".csv,text/csv"
            value={files}
            error={selectionError}
            onChange={(chosen) => {
              setFiles(chosen);
              setSelectionError(undefined);
            }}
          />
          <Checkbox
            label="Skip bad rows"
            description="Import the good rows of a file with errors and list the rows left out. Without it, a file with any bad row imports nothing."
            checked={skipBadRows}
            onChange={(event) => {
              setSkipBadRows(event.currentTarget.checked);
            }}
          />
          <div>
            <Button type="submit" loading={upload.isPending}>
              Upload and import
            </Button>
          </div>
        </Stack>
      </form>

      {upload.isError &&
        (issues === undefined ? (
          <ErrorAlert error={upload.error} title="The import failed" />
        ) : (
          <RefusedImport error={upload.error} issues={issues} />
        ))}
      {upload.data !== undefined && <ImportSummary result={upload.data} />}
    </Stack>
  );
}

function RefusedImport({ error, issues }: { error: unknown; issues: ImportIssueRow[] }) {
  const detail = error instanceof ApiError ? error.detail : undefined;
  return (
    <Stack gap="sm">
      <Alert color="red" variant="light" title="Nothing was imported" role="alert">
        <Text size="sm">
          {issues.length === 1 ? 'One problem was' : `${formatCount(issues.length)} problems were`}{' '}
          found; no file of this upload was stored. Correct the rows below, or tick “Skip bad rows”
          to import the others.
        </Text>
        {detail !== undefined && <Text size="sm">{detail}</Text>}
      </Alert>
      <IssueTable caption="Problems found" issues={issues} />
    </Stack>
  );
}

function IssueTable({ caption, issues }: { caption: string; issues: readonly ImportIssueRow[] }) {
  return (
    <TableRegion label={caption}>
      <Table striped captionSide="top">
        <Table.Caption>{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">File</Table.Th>
            <Table.Th scope="col">Row</Table.Th>
            <Table.Th scope="col">Column</Table.Th>
            <Table.Th scope="col">Value</Table.Th>
            <Table.Th scope="col">Problem</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {issues.map((issue, index) => (
            <Table.Tr key={`${issue.file ?? ''}:${issue.row ?? ''}:${issue.column ?? ''}:${index}`}>
              <Table.Td>{issue.file ?? '—'}</Table.Td>
              <Table.Td>{issue.row ?? '—'}</Table.Td>
              <Table.Td>{issue.column ?? '—'}</Table.Td>
              <Table.Td>
                {issue.value === null ? (
                  '—'
                ) : (
                  <Code>{issue.value === '' ? '(empty)' : issue.value}</Code>
                )}
              </Table.Td>
              <Table.Td>{issue.message}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </TableRegion>
  );
}

function ImportSummary({ result }: { result: ImportResult }) {
  const skipped = result.files.flatMap((file) => file.skipped);
  return (
    <Stack gap="sm">
      <Alert color="green" variant="light" role="status" title="Import finished">
        <Text size="sm">
          {result.changed
            ? 'The stored data changed.'
            : 'Nothing changed: every row was already stored with the same values.'}{' '}
          <Term definition={DEFINITIONS.datasetVersion}>Dataset version</Term>:{' '}
          <Code data-testid="import-dataset-version">{result.dataset_version}</Code>
        </Text>
      </Alert>
      <TableRegion label="Imported files">
        <Table striped captionSide="top">
          <Table.Caption>Imported files (rows)</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">File</Table.Th>
              <Table.Th scope="col">Kind</Table.Th>
              <Table.Th scope="col">Symbol or series</Table.Th>
              <Table.Th scope="col" ta="right">
                <Term definition={DEFINITIONS.rowsRead}>Read</Term>
              </Table.Th>
              <Table.Th scope="col" ta="right">
                <Term definition={DEFINITIONS.rowsInserted}>Inserted</Term>
              </Table.Th>
              <Table.Th scope="col" ta="right">
                <Term definition={DEFINITIONS.rowsUpdated}>Updated</Term>
              </Table.Th>
              <Table.Th scope="col" ta="right">
                <Term definition={DEFINITIONS.rowsUnchanged}>Unchanged</Term>
              </Table.Th>
              <Table.Th scope="col" ta="right">
                <Term definition={DEFINITIONS.skipped}>Skipped</Term>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {result.files.map((file) => (
              <Table.Tr key={file.file}>
                <Table.Th scope="row">{file.file}</Table.Th>
                <Table.Td>{file.kind === 'prices' ? 'Prices' : 'Rates'}</Table.Td>
                <Table.Td>{file.target}</Table.Td>
                <Table.Td ta="right">{formatCount(file.rows_read)}</Table.Td>
                <Table.Td ta="right">{formatCount(file.rows_inserted)}</Table.Td>
                <Table.Td ta="right">{formatCount(file.rows_updated)}</Table.Td>
                <Table.Td ta="right">{formatCount(file.rows_unchanged)}</Table.Td>
                <Table.Td ta="right">{formatCount(file.skipped.length)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </TableRegion>
      {skipped.length > 0 && (
        <IssueTable
          caption="Skipped rows"
          issues={skipped.map((issue) => ({
            file: issue.file,
            row: issue.row,
            column: issue.column,
            value: issue.value,
            message: issue.message,
          }))}
        />
      )}
    </Stack>
  );
}
