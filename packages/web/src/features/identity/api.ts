import { identityStatusSchema } from '@hub/core';
import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../../api/client';
import { IDENTITY_API } from './helpers';

/** GET /status: whether an admin exists yet and whether "request access" is open. */
export function useIdentityStatus() {
  return useQuery({
    queryKey: ['identity', 'status'],
    queryFn: ({ signal }) => apiGet(`${IDENTITY_API}/status`, identityStatusSchema, { signal }),
    staleTime: 60_000,
    retry: false,
  });
}
