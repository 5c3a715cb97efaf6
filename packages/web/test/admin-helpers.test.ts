import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api/client';
import {
  activeLabel,
  buildQuery,
  characterCount,
  confirmEmailMatches,
  dateRangeError,
  describeError,
  detailsText,
  fieldErrors,
  formatBytes,
  formatDateTime,
  fullName,
  grantableRoles,
  inviteIsOpen,
  inviteStatusColour,
  isAdmin,
  loginResultColour,
  pageCount,
  sectionHref,
  sectionOf,
  splatBase,
  unknownPlaceholderMessage,
  unknownPlaceholders,
  userStatusColour,
  visibleSections,
} from '../src/features/admin/adminHelpers';

// Expected values are worked out by hand from the rules in specs/identity.md (§2 roles table,
// D13 manager limits, §3.2 placeholders) and from URLSearchParams' form encoding
// (space → "+", "@" → "%40", "<" → "%3C").

describe('buildQuery', () => {
  it('is empty when there is nothing to send', () => {
    expect(buildQuery({})).toBe('');
    expect(buildQuery({ search: '', status: undefined, role: null, blank: '   ' })).toBe('');
  });

  it('keeps the given order and leaves out empty values', () => {
    expect(buildQuery({ search: 'ann', status: '', role: 'viewer', page: 2 })).toBe(
      '?search=ann&role=viewer&page=2',
    );
  });

  it('trims strings and form-encodes them', () => {
    expect(buildQuery({ email: '  a.b+tag@x.example ' })).toBe('?email=a.b%2Btag%40x.example');
    expect(buildQuery({ search: 'Ann Lee' })).toBe('?search=Ann+Lee');
    expect(buildQuery({ q: '<img src=x>' })).toBe('?q=%3Cimg+src%3Dx%3E');
  });

  it('writes numbers and booleans as text, including 0 and false', () => {
    expect(buildQuery({ page: 0, success: false })).toBe('?page=0&success=false');
  });
});

describe('roles', () => {
  const viewer = { role: 'viewer', is_superuser: false } as const;
  const analyst = { role: 'analyst', is_superuser: false } as const;
  const manager = { role: 'manager', is_superuser: false } as const;
  const admin = { role: 'admin', is_superuser: false } as const;

  it('treats admins and superusers as admins', () => {
    expect(isAdmin(admin)).toBe(true);
    expect(isAdmin({ role: 'viewer', is_superuser: true })).toBe(true);
    expect(isAdmin(manager)).toBe(false);
  });

  it('lets managers grant viewer and analyst only (D13)', () => {
    expect(grantableRoles(manager)).toEqual(['viewer', 'analyst']);
  });

  it('lets admins grant every role, lowest first', () => {
    expect(grantableRoles(admin)).toEqual(['viewer', 'analyst', 'manager', 'admin']);
  });

  it('lets viewers and analysts grant nothing', () => {
    expect(grantableRoles(viewer)).toEqual([]);
    expect(grantableRoles(analyst)).toEqual([]);
  });
});

describe('admin sections', () => {
  it('shows managers the queue, users and invitations only', () => {
    expect(visibleSections(false).map((section) => section.path)).toEqual([
      '',
      'users',
      'invitations',
    ]);
  });

  it('shows admins all ten sections', () => {
    expect(visibleSections(true).map((section) => section.label)).toEqual([
      'Approval queue',
      'Users',
      'Invitations',
      'Templates',
      'Sessions',
      'Login audit',
      'Audit log',
      'Mail outbox',
      'Market data',
      'Margin calculations',
    ]);
  });

  it('finds the section from the splat', () => {
    expect(sectionOf('')).toBe('');
    expect(sectionOf('users')).toBe('users');
    expect(sectionOf('users/12/edit')).toBe('users');
    expect(sectionOf('/login-audit/')).toBe('login-audit');
  });

  it('finds the admin page URL from the pathname and splat', () => {
    expect(splatBase('/admin', '')).toBe('/admin');
    expect(splatBase('/admin/', '')).toBe('/admin');
    expect(splatBase('/admin/users', 'users')).toBe('/admin');
    expect(splatBase('/hub/admin/login-audit', 'login-audit')).toBe('/hub/admin');
    expect(splatBase('/users', 'users')).toBe('/');
  });

  it('builds section links below the base', () => {
    expect(sectionHref('/admin', '')).toBe('/admin');
    expect(sectionHref('/admin', 'outbox')).toBe('/admin/outbox');
    expect(sectionHref('/', 'users')).toBe('/users');
  });
});

describe('badge colours', () => {
  it('colours user statuses', () => {
    expect(userStatusColour('approved')).toBe('teal.9');
    expect(userStatusColour('pending')).toBe('yellow.6');
    expect(userStatusColour('rejected')).toBe('red.9');
    expect(userStatusColour('inactive')).toBe('gray.7');
  });

  it('colours invitation statuses', () => {
    expect(inviteStatusColour('pending')).toBe('yellow.6');
    expect(inviteStatusColour('used')).toBe('teal.9');
    expect(inviteStatusColour('revoked')).toBe('gray.7');
    expect(inviteStatusColour('bounced')).toBe('red.9');
    expect(inviteStatusColour('expired')).toBe('grape.9');
  });

  it('colours login results', () => {
    expect(loginResultColour(true)).toBe('teal.9');
    expect(loginResultColour(false)).toBe('red.9');
  });

  it('offers resend and revoke on pending and bounced invitations only', () => {
    expect(inviteIsOpen('pending')).toBe(true);
    expect(inviteIsOpen('bounced')).toBe(true);
    expect(inviteIsOpen('used')).toBe(false);
    expect(inviteIsOpen('revoked')).toBe(false);
    expect(inviteIsOpen('expired')).toBe(false);
  });
});

describe('formatting', () => {
  it('joins names and drops empty parts', () => {
    expect(fullName({ first_name: 'Ann', last_name: 'Lee' })).toBe('Ann Lee');
    expect(fullName({ first_name: '', last_name: 'Lee' })).toBe('Lee');
    expect(fullName({ first_name: '', last_name: '' })).toBe('');
  });

  it('formats dates in UTC', () => {
    expect(formatDateTime('2024-03-05T14:07:09Z', 'UTC')).toBe('2024-03-05 14:07 UTC');
    // 23:30 at UTC-02:00 is 01:30 the next day in UTC.
    expect(formatDateTime('2024-12-31T23:30:00-02:00', 'UTC')).toBe('2025-01-01 01:30 UTC');
  });

  it('shows a dash for no date and leaves non-dates alone', () => {
    expect(formatDateTime(null)).toBe('—');
    expect(formatDateTime('')).toBe('—');
    expect(formatDateTime('not a date')).toBe('not a date');
  });

  it('formats sizes with powers of 1024', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1.0 KB');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MB');
    expect(formatBytes(3 * 1024 * 1024 * 1024)).toBe('3.0 GB');
  });

  it('writes details as indented JSON text', () => {
    expect(detailsText({ before: { role: 'viewer' }, after: { role: 'analyst' } })).toBe(
      '{\n  "before": {\n    "role": "viewer"\n  },\n  "after": {\n    "role": "analyst"\n  }\n}',
    );
    expect(detailsText(null)).toBe('');
    expect(detailsText(undefined)).toBe('');
    expect(detailsText('<script>x</script>')).toBe('<script>x</script>');
    expect(detailsText([1, 2])).toBe('[\n  1,\n  2\n]');
  });

  it('does not fail on details JSON cannot hold', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(detailsText(circular)).toBe('(details that cannot be shown as JSON)');
    expect(detailsText(() => 1)).toBe('');
  });

  it('counts pages, at least one', () => {
    expect(pageCount(0, 25)).toBe(1);
    expect(pageCount(25, 25)).toBe(1);
    expect(pageCount(26, 25)).toBe(2);
    expect(pageCount(93, 25)).toBe(4);
    expect(pageCount(10, 0)).toBe(1);
  });

  it('counts characters', () => {
    expect(characterCount('', 1000)).toBe('0 / 1000 characters');
    expect(characterCount('hello', 1000)).toBe('5 / 1000 characters');
  });

  it('labels template activity', () => {
    expect(activeLabel(true)).toBe('Active');
    expect(activeLabel(false)).toBe('Inactive');
  });
});

describe('date range filter', () => {
  it('accepts empty, one-sided and ordered ranges', () => {
    expect(dateRangeError('', '')).toBeUndefined();
    expect(dateRangeError('2024-01-01', '')).toBeUndefined();
    expect(dateRangeError('', '2024-01-31')).toBeUndefined();
    expect(dateRangeError('2024-01-01', '2024-01-31')).toBeUndefined();
    expect(dateRangeError('2024-01-31', '2024-01-31')).toBeUndefined();
  });

  it('refuses a from date after the to date', () => {
    expect(dateRangeError('2024-02-01', '2024-01-31')).toBe(
      'The to date must not be before the from date.',
    );
  });

  it('refuses dates in another format', () => {
    expect(dateRangeError('01/02/2024', '')).toBe('Enter dates as YYYY-MM-DD.');
  });
});

describe('template placeholders', () => {
  it('accepts the fixed set, with or without spaces in the braces', () => {
    expect(
      unknownPlaceholders(
        'Hi {{ invitee_email }}, {{inviter_name}} invites you to {{ app_name }} as {{role}}: ' +
          '{{ invite_link }} (until {{ expires_at }}). {{ custom_message }} {{ inviter_email }}',
      ),
    ).toEqual([]);
  });

  it('lists unknown names once each, in order of first use', () => {
    expect(
      unknownPlaceholders('{{ constructor }} {{ app_name }} {{ user.password }} {{constructor}}'),
    ).toEqual(['constructor', 'user.password']);
  });

  it('does not treat other template syntaxes as placeholders', () => {
    expect(unknownPlaceholders('${7*7} {% if x %} <script>alert(1)</script>')).toEqual([]);
  });

  it('reports an empty placeholder', () => {
    expect(unknownPlaceholders('{{ }}')).toEqual(['']);
  });

  it('words the unknown placeholder message', () => {
    expect(unknownPlaceholderMessage(['constructor', 'x'])).toBe(
      'Unknown placeholders: {{ constructor }}, {{ x }}. Use only the listed placeholders.',
    );
  });
});

describe('delete confirmation', () => {
  it('matches the email ignoring case and surrounding spaces', () => {
    expect(confirmEmailMatches('ann@x.example', 'ann@x.example')).toBe(true);
    expect(confirmEmailMatches('  Ann@X.example ', 'ann@x.example')).toBe(true);
  });

  it('refuses another address or nothing', () => {
    expect(confirmEmailMatches('ann@x.exampl', 'ann@x.example')).toBe(false);
    expect(confirmEmailMatches('', '')).toBe(false);
    expect(confirmEmailMatches('bob@x.example', 'ann@x.example')).toBe(false);
  });
});

describe('errors', () => {
  it('keys zod issues by their first path segment, first message wins', () => {
    expect(
      fieldErrors([
        { path: ['email'], message: 'bad email' },
        { path: ['email'], message: 'second' },
        { path: ['custom_message'], message: 'too long' },
        { path: [], message: 'form' },
      ]),
    ).toEqual({ email: 'bad email', custom_message: 'too long', '': 'form' });
  });

  it('keys server field errors without their body or query prefix', () => {
    expect(
      fieldErrors([
        { path: 'body.email', message: 'taken' },
        { path: 'query.from', message: 'bad date' },
        { path: 'reason', message: 'required' },
      ]),
    ).toEqual({ email: 'taken', from: 'bad date', reason: 'required' });
  });

  it('describes a problem from the server', () => {
    const error = new ApiError({
      type: 'about:blank',
      title: 'Conflict',
      status: 409,
      detail: 'The last active admin cannot be deleted.',
      errors: [{ path: 'body.confirm_email', message: 'does not match' }],
    });
    expect(describeError(error)).toEqual({
      title: 'Conflict',
      detail: 'The last active admin cannot be deleted.',
      fieldErrors: [{ path: 'body.confirm_email', message: 'does not match' }],
    });
  });

  it('describes other errors', () => {
    expect(describeError(new Error('boom'))).toEqual({
      title: 'Something went wrong',
      detail: 'boom',
      fieldErrors: [],
    });
    expect(describeError('nope')).toEqual({
      title: 'Something went wrong',
      detail: undefined,
      fieldErrors: [],
    });
  });
});
