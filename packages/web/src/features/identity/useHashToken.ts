import { useEffect, useState } from 'react';
import { tokenFromHash } from './helpers';

/**
 * The one-time token of an emailed link (`/reset-password#<token>`). It is read once, then the
 * hash is removed from the address bar (history.replaceState) so the token is not left in the
 * URL, the history or a screenshot. The token stays in component state for the page's requests.
 */
export function useHashToken(): string | null {
  const [token] = useState(() => tokenFromHash(window.location.hash));
  useEffect(() => {
    if (window.location.hash !== '') {
      const { pathname, search } = window.location;
      window.history.replaceState(window.history.state, '', `${pathname}${search}`);
    }
  }, []);
  return token;
}
