// Server-rendered forms: the submitted fields as trimmed text, and problems shaped for the NHS error
// summary and each field's error message.
import type { Context, Hono } from 'hono';
import { AppError, type FieldProblem } from '../errors.js';
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

/**
 * Runs a form's change; on success back to the page it names (303), on bad input the page again with
 * what was typed and the NHS error summary (the caller's rerender, 400).
 */
export async function postForm(
  c: Context<AppEnv>,
  change: () => Promise<string>,
  rerender: (problems: FieldProblem[], values: Record<string, string>) => Promise<Response>,
  values: Record<string, string>,
): Promise<Response> {
  try {
    return c.redirect(await change(), 303);
  } catch (error) {
    if (error instanceof AppError && error.code === 'invalid_input')
      return rerender(
        error.problems.length ? error.problems : [{ field: 'maincontent', message: error.message }],
        values,
      );
    throw error;
  }
}

/**
 * An HTML form's POST route: loads what the form is about (checking access, so a refusal comes before
 * the body is read), then reads the form and runs the change (postForm): a redirect (303) to the URL
 * the change returns, or the page again with the problems and what was typed (400).
 */
export function formRoute<T>(
  app: Hono<AppEnv>,
  path: string,
  load: (c: Context<AppEnv>) => Promise<T>,
  change: (c: Context<AppEnv>, target: T, values: Record<string, string>) => Promise<string>,
  rerender: (
    c: Context<AppEnv>,
    target: T,
    problems: FieldProblem[],
    values: Record<string, string>,
  ) => Promise<Response>,
): void {
  app.post(path, async (c) => {
    const target = await load(c);
    const values = await formValues(c);
    return postForm(
      c,
      () => change(c, target, values),
      (problems, v) => rerender(c, target, problems, v),
      values,
    );
  });
}
