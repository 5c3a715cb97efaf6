import { hubMetaSchema } from '@hub/core';
import { useQuery } from '@tanstack/react-query';
import { apiGet } from './client';

/** GET /api/meta: the hub's name, version and which tools are installed. */
export function useMeta() {
  return useQuery({
    queryKey: ['meta'],
    queryFn: ({ signal }) => apiGet('/api/meta', hubMetaSchema, { signal }),
    staleTime: 5 * 60 * 1000,
  });
}
