import { Anchor, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { apiPost } from '../../api/client';
import { LinkProblem, LoadingStatus, SuccessAlert } from './components';
import { INCOMPLETE_LINK, INVALID_LINK, isInvalidToken } from './errors';
import { IDENTITY_API } from './helpers';
import { useHashToken } from './useHashToken';

const TITLE = 'Download your data';
export const EXPORT_FILE_NAME = 'umbrella-hub-export.json';

/**
 * /export#<token> (US-ADM-5): POST /exports/download returns the JSON archive of the user's
 * saved work, once; the page offers it as a file through a Blob link.
 */
export function ExportPage() {
  const token = useHashToken();
  const started = useRef(false);
  const [download, setDownload] = useState<{ url: string; bytes: number } | null>(null);

  const fetchArchive = useMutation({
    mutationFn: (body: { token: string }) =>
      apiPost<unknown>(`${IDENTITY_API}/exports/download`, body),
    onSuccess: (archive) => {
      const blob = new Blob([JSON.stringify(archive, null, 2)], { type: 'application/json' });
      setDownload({ url: URL.createObjectURL(blob), bytes: blob.size });
    },
  });
  const { mutate } = fetchArchive;

  useEffect(() => {
    // The link works once: post it once, also under StrictMode's double effects.
    if (token === null || started.current) return;
    started.current = true;
    mutate({ token });
  }, [token, mutate]);

  useEffect(
    () => () => {
      if (download !== null) URL.revokeObjectURL(download.url);
    },
    [download],
  );

  if (token === null) return <LinkProblem title={TITLE} message={INCOMPLETE_LINK} />;
  if (fetchArchive.isError) {
    if (isInvalidToken(fetchArchive.error)) {
      return (
        <LinkProblem
          title={TITLE}
          message={`${INVALID_LINK} Export links are valid for 7 days and work once.`}
        />
      );
    }
    return <LinkProblem title={TITLE} error={fetchArchive.error} />;
  }
  if (download === null) return <LoadingStatus label="Preparing your data…" />;

  return (
    <Stack gap="md" maw={560}>
      <Title order={1}>{TITLE}</Title>
      <SuccessAlert title="Your data is ready">
        Save the file now: this link works only once, and the archive has been removed from the
        server.
      </SuccessAlert>
      <Text>
        <Anchor href={download.url} download={EXPORT_FILE_NAME}>
          Download {EXPORT_FILE_NAME}
        </Anchor>{' '}
        ({Math.max(1, Math.round(download.bytes / 1024))} KB, JSON)
      </Text>
    </Stack>
  );
}
