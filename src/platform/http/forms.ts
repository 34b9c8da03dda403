// Server-rendered forms: the submitted fields as trimmed text, and problems shaped for the NHS error
// summary and each field's error message.
import type { Context } from 'hono';
import type { FieldProblem } from '../errors.js';
import type { AppEnv } from './http.types.js';

/** The form's text fields, trimmed, without the CSRF token (files are left out). */
export async function formValues(c: Context<AppEnv>): Promise<Record<string, string>> {
  return Object.fromEntries(
    Object.entries(await c.req.parseBody())
      .filter(([k, v]) => typeof v === 'string' && k !== '_csrf')
      .map(([k, v]) => [k, (v as string).trim()]),
  );
}

/** Problems as the layout's error summary (links to the fields) and each field's message. */
export const problemsView = (problems: readonly FieldProblem[]) => ({
  errors: problems.map((p) => ({ text: p.message, href: `#${p.field}` })),
  fieldErrors: Object.fromEntries(problems.map((p) => [p.field, p.message])),
});
