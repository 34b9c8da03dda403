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
