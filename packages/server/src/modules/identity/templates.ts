import { TEMPLATE_PLACEHOLDERS } from '@hub/core';

/**
 * Invite templates (§3.2, V-02): `{{ name }}` placeholders from a fixed set, whitespace inside
 * the braces optional. There is no logic and no evaluation: a placeholder is looked up by name
 * in a fixed table and replaced by text; everything else is copied as it stands (`${7*7}` stays
 * `${7*7}`).
 */

export type PlaceholderName = (typeof TEMPLATE_PLACEHOLDERS)[number];
export type TemplateValues = Readonly<Record<PlaceholderName, string>>;

/** `{{`, optional whitespace, anything but braces, optional whitespace, `}}`. */
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const KNOWN: ReadonlySet<string> = new Set(TEMPLATE_PLACEHOLDERS);

export const SUBJECT_MAX_LENGTH = 200;

function isPlaceholder(name: string): name is PlaceholderName {
  return KNOWN.has(name);
}

/** The placeholder names a text uses that are not in the fixed set, in order, once each. */
export function unknownPlaceholders(text: string): string[] {
  const unknown: string[] = [];
  for (const match of text.matchAll(PLACEHOLDER)) {
    const name = match[1] ?? '';
    if (!isPlaceholder(name) && !unknown.includes(name)) unknown.push(name);
  }
  return unknown;
}

/** Whether a text uses a placeholder (to add the link or the message a template leaves out). */
export function usesPlaceholder(text: string, name: PlaceholderName): boolean {
  for (const match of text.matchAll(PLACEHOLDER)) if (match[1] === name) return true;
  return false;
}

/**
 * Replaces each placeholder by `encode(value)`; an unknown one (legacy data) becomes '' and is
 * reported through `onUnknown`. `encode` runs on the values only, never on the template text.
 */
function substitute(
  text: string,
  values: TemplateValues,
  encode: (value: string) => string,
  onUnknown: (name: string) => void,
): string {
  return text.replace(PLACEHOLDER, (_whole, name: string) => {
    if (isPlaceholder(name)) return encode(values[name]);
    onUnknown(name);
    return '';
  });
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** One header line: CR and LF removed (ASVS 5.0 1.3.11), at most 200 characters. */
export function cleanSubject(subject: string): string {
  return subject
    .replace(/[\r\n]+/g, ' ')
    .trim()
    .slice(0, SUBJECT_MAX_LENGTH);
}

export interface RenderedMail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/**
 * Renders a template into a subject, a text part and an HTML part. The template is plain text:
 * in the HTML part the template's own characters are escaped as well as the values, so a legacy
 * template holding `<script>` arrives as inert text.
 */
export function renderTemplate(
  template: { subject: string; body: string },
  values: TemplateValues,
  onUnknown: (name: string) => void,
): RenderedMail {
  const unknown = new Set<string>();
  const note = (name: string) => {
    if (!unknown.has(name)) {
      unknown.add(name);
      onUnknown(name);
    }
  };
  const subject = cleanSubject(substitute(template.subject, values, (value) => value, note));
  const text = substitute(template.body, values, (value) => value, note);
  // Escape the template text around the placeholders and each value on its own.
  const pieces: string[] = [];
  let last = 0;
  for (const match of template.body.matchAll(PLACEHOLDER)) {
    const index = match.index;
    pieces.push(escapeHtml(template.body.slice(last, index)));
    const name = match[1] ?? '';
    pieces.push(isPlaceholder(name) ? htmlValue(name, values[name]) : '');
    last = index + match[0].length;
  }
  pieces.push(escapeHtml(template.body.slice(last)));
  const html = pieces.join('').replace(/\r?\n/g, '<br>\n');
  return { subject, text, html: `<!doctype html><html><body><p>${html}</p></body></html>` };
}

/** A value in the HTML part: escaped; the invitation link becomes a link. */
function htmlValue(name: PlaceholderName, value: string): string {
  const escaped = escapeHtml(value);
  return name === 'invite_link' && /^https?:\/\//.test(value)
    ? `<a href="${escaped}">${escaped}</a>`
    : escaped.replace(/\r?\n/g, '<br>');
}
