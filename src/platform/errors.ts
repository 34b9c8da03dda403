// The closed set of application errors: each knows its HTTP status and the message a user sees.

export const errorCodes = {
  invalid_input: 400,
  unauthenticated: 401,
  csrf_failed: 403,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
} as const;

export type ErrorCode = keyof typeof errorCodes;

/** A problem with one field of a form or request, shown in the NHS error summary. */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * Problems for the fields a form always sends but this request lacks (field → its label). A browser
 * sends every text box, text area and select, and a radio group once one is chosen, so a missing
 * field means a request cut short or made by hand: an error, never "clear this" (emptying a box
 * is how a person clears it).
 */
export function missingFields(
  input: Readonly<Record<string, unknown>>,
  fields: Readonly<Record<string, string>>,
): FieldProblem[] {
  return Object.entries(fields)
    .filter(([field]) => input[field] === undefined)
    .map(([field, label]) => ({
      field,
      message: `${label} was missing from the form, so nothing was saved: reload the page and try again`,
    }));
}

/** Refuses the request (400, shown in the error summary) when a field the form always sends is missing. */
export function requireFields(
  input: Readonly<Record<string, unknown>>,
  fields: Readonly<Record<string, string>>,
): void {
  const problems = missingFields(input, fields);
  if (problems.length) throw new AppError('invalid_input', problems[0]!.message, problems);
}

/** A yes-or-no radio group: true or false, or a problem when neither was chosen. */
export function yesOrNo(
  v: string | undefined,
  field: string,
  question: string,
  problems: FieldProblem[],
): boolean {
  if (v !== 'yes' && v !== 'no') problems.push({ field, message: `Choose yes or no: ${question}` });
  return v === 'yes';
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly problems: FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'AppError';
    this.status = errorCodes[code];
  }
}

/** A CLI failure: a message for the terminal and the process exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** An import stopped by bad input: names the file, row, column and reason. */
export class ImportError extends Error {
  constructor(
    readonly file: string,
    readonly row: number | undefined,
    readonly column: string | undefined,
    readonly reason: string,
  ) {
    const where = [
      file,
      row === undefined ? undefined : `row ${row}`,
      column === undefined ? undefined : `column "${column}"`,
    ]
      .filter(Boolean)
      .join(', ');
    super(`${where}: ${reason}`);
    this.name = 'ImportError';
  }
}
