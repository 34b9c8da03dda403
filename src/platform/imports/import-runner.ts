// Runs one CSV import: validates every row, stores it in one commit (for facts, with a marker the log row is completed from), or changes nothing.
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { CsvError, parse } from 'csv-parse';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { audit, type Actor } from '../audit/audit.service.js';
import { systemClock, type Clock } from '../clock.js';
import type { Database, Db } from '../db/schema.js';
import { isUniqueViolation } from '../db/unique.js';
import type { FactSession, FactStore } from '../facts/fact-store.js';
import { crashPoint } from './crash-points.js';
import {
  completeImport,
  importCompletedEvent,
  outcomeColumns,
  writeImportCommit,
} from './import-commit.js';
import { ImportError } from '../errors.js';

/** A row that passed validation, with where it came from in the file. */
export interface NumberedRow<Row> {
  row: Row;
  /** Line number in the file (the header is line 1). */
  line: number;
}

/** Which columns a shape of file must have. */
export interface ColumnLayout {
  name: string;
  /** Column names for files that have no header row (every line is data). */
  headerless?: readonly string[];
  /** Columns that must be present; other columns are ignored. */
  required: readonly string[];
}

/** One accepted shape of a file: which columns it must have and how a row becomes a typed value. */
export interface Layout<Row> extends ColumnLayout {
  /** Validates a record keyed by column name and turns it into a row. */
  schema: z.ZodType<Row>;
}

export interface ImportContext {
  /**
   * The system of record: the import's own transaction for an importer that writes there; the
   * database itself for an importer of facts, which only reads it (so that a long load of facts
   * holds no transaction in the system of record).
   */
  readonly tx: Db;
  readonly file: string;
  readonly importId: number;
  readonly period: string | undefined;
  readonly layout: string;
  /** Importers report rows deliberately not loaded, with the reason, here. */
  skip(count: number, reason: string): void;
  /** Importers count what they stored here. */
  loaded(count: number): void;
  /** Something the person importing should know that is not a skipped row. */
  note(message: string): void;
  /**
   * The fact store, for importers of facts (DuckDB): every write in it belongs to the import's one
   * fact-store transaction, committed with the import's marker before its log row is completed.
   */
  readonly facts: FactStore;
  /** Who is importing, for importers that audit what they change in an organisation's own records. */
  readonly actor: Actor;
  /** Throws a file/row/column error that aborts the whole import. */
  fail(line: number | undefined, column: string | undefined, reason: string): never;
}

export interface Importer<Row> {
  kind: string;
  title: string;
  /**
   * Which store the importer writes: the system of record (the default, in one transaction with the
   * log row) or the fact store (committed with a marker, then the log row completed). An importer
   * writes one store only, so that one commit decides whether it happened.
   */
  writes?: 'record' | 'facts';
  /** Field delimiter; 'auto' picks ';' when the first line has semicolons and no commas. Default ','. */
  delimiter?: string | 'auto';
  layouts: readonly Layout<Row>[];
  /** What period a file covers when its rows do not say: from the --period option or the file name. */
  period?: {
    description: string;
    fromFileName?: (fileName: string) => string | undefined;
    pattern: RegExp;
    /** When the rows themselves say the period, neither option nor file name is needed. */
    optional?: boolean;
  };
  /** Identity of a row: two rows with the same key are duplicates. */
  key?: (row: Row) => string;
  /** 'error' (default) stops on any duplicate; 'drop-identical' drops exact repeats and stops on conflicting ones. */
  duplicates?: 'error' | 'drop-identical';
  load(ctx: ImportContext, rows: NumberedRow<Row>[]): Promise<void>;
  finish?(ctx: ImportContext): Promise<void>;
}

/**
 * An importer for files too large to validate row by row in JavaScript (a national prescribing
 * month is 17 million rows): it reads, validates and stores the whole file itself, in the fact
 * store, and must still name the line, column and problem of the first bad row.
 */
export interface BulkImporter {
  kind: string;
  title: string;
  layouts: readonly ColumnLayout[];
  period?: Importer<unknown>['period'];
  /** Loads the file; returns the number of data rows read. Progress is a fraction from 0 to 1. */
  loadFile(
    ctx: ImportContext,
    file: { path: string; layout: ColumnLayout; onProgress: (fraction: number) => void },
  ): Promise<number>;
}

export interface ImportOptions {
  actor: Actor;
  period?: string | undefined;
  clock?: Clock;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  batchSize?: number;
  /** Needed by importers of bulk facts. */
  facts?: FactStore | undefined;
}

export type ImportResult =
  | {
      status: 'imported';
      importId: number;
      kind: string;
      file: string;
      period: string | undefined;
      rowsRead: number;
      rowsLoaded: number;
      rowsSkipped: number;
      notes: string[];
      sha256: string;
    }
  | {
      status: 'unchanged';
      kind: string;
      file: string;
      sha256: string;
      previousImportId: number;
      importedAt: Date;
    };

/** A file's SHA-256 in hex, read in chunks. */
export async function sha256OfFile(filePath: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(filePath)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function resolvePeriod(
  importer: { period?: Importer<unknown>['period'] },
  fileName: string,
  given: string | undefined,
) {
  if (!importer.period) return undefined;
  const period = given ?? importer.period.fromFileName?.(fileName);
  if (period === undefined && importer.period.optional) return undefined;
  if (period === undefined) {
    throw new ImportError(
      fileName,
      undefined,
      undefined,
      `cannot tell which ${importer.period.description} this file covers; give it with --period`,
    );
  }
  if (!importer.period.pattern.test(period)) {
    throw new ImportError(
      fileName,
      undefined,
      undefined,
      `period "${period}" is not a valid ${importer.period.description} (expected ${importer.period.pattern.source})`,
    );
  }
  return period;
}

function chooseLayout<L extends ColumnLayout>(
  importer: { title: string; layouts: readonly L[] },
  header: string[],
  fileName: string,
): L {
  const present = new Set(header);
  let closest: { layout: L; missing: string[] } | undefined;
  for (const layout of importer.layouts) {
    if (layout.headerless) continue;
    const missing = layout.required.filter((c) => !present.has(c));
    if (missing.length === 0) return layout;
    if (!closest || missing.length < closest.missing.length) closest = { layout, missing };
  }
  const missing = closest?.missing ?? [];
  throw new ImportError(
    fileName,
    1,
    missing[0],
    `missing column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `"${c}"`).join(', ')} ` +
      `(expected the ${closest?.layout.name ?? importer.title} layout)`,
  );
}

/**
 * Imports one file. Either everything in it is stored and logged in one transaction, or, on the
 * first bad row, nothing is and an ImportError says where and why. A file already imported
 * (same kind, same SHA-256) changes nothing.
 */
export async function runImport<Row>(
  db: Kysely<Database>,
  importer: Importer<Row> | BulkImporter,
  filePath: string,
  options: ImportOptions,
): Promise<ImportResult> {
  const clock = options.clock ?? systemClock;
  const fileName = path.basename(filePath);
  const totalBytes = (
    await stat(filePath).catch(() => {
      throw new ImportError(fileName, undefined, undefined, `cannot read file ${filePath}`);
    })
  ).size;
  if (totalBytes === 0)
    throw new ImportError(fileName, undefined, undefined, 'the file is empty (0 bytes)');
  const hashing = sha256OfFile(filePath);
  hashing.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
  const findByHash = (sha256: string) =>
    db
      .selectFrom('import_log')
      .select(['id', 'finished_at', 'period', 'state'])
      .where('kind', '=', importer.kind)
      .where('file_sha256', '=', sha256)
      .executeTakeFirst();
  // A large file is hashed while it loads, not in a separate read first: if it turns out to have
  // been imported before, the load is rolled back. Unless a file of the same name was imported
  // before (probably this one again): then it is hashed first, as every smaller file is.
  const hashWhileLoading =
    'loadFile' in importer &&
    !(await db
      .selectFrom('import_log')
      .select('id')
      .where('kind', '=', importer.kind)
      .where('file_name', '=', fileName)
      .executeTakeFirst());
  let sha256 = hashWhileLoading ? '' : await hashing;
  const findPrevious = () => findByHash(sha256);
  const unchanged = (previous: { id: number; finished_at: Date }): ImportResult => ({
    status: 'unchanged',
    kind: importer.kind,
    file: fileName,
    sha256,
    previousImportId: previous.id,
    importedAt: previous.finished_at,
  });
  const beingImported = (id: number) =>
    new ImportError(
      fileName,
      undefined,
      undefined,
      `this file is being imported now (import ${id}); try again when that import has finished`,
    );
  /** The answer when the same file was imported before (or is being imported now). */
  const alreadyImported = (previous: {
    id: number;
    finished_at: Date;
    period: string | null;
    state: 'loading' | 'complete';
  }): ImportResult => {
    if (previous.state === 'loading') throw beingImported(previous.id);
    if (
      options.period !== undefined &&
      previous.period !== null &&
      options.period !== previous.period
    ) {
      throw new ImportError(
        fileName,
        undefined,
        undefined,
        `this file was already imported for ${previous.period} (import ${previous.id}); ` +
          `the same file cannot also be ${options.period}`,
      );
    }
    return unchanged(previous);
  };
  const previous = hashWhileLoading ? undefined : await findPrevious();
  if (previous) return alreadyImported(previous);
  const period = resolvePeriod(importer, fileName, options.period);
  const startedAt = clock();
  const logValues = {
    kind: importer.kind,
    file_name: fileName,
    // Unique until the hash is known, when the row is given it.
    file_sha256: sha256 || `pending ${randomUUID()}`,
    period: period ?? null,
    imported_by: options.actor.label,
    started_at: startedAt,
    finished_at: startedAt,
  };
  const writesFacts = 'loadFile' in importer || importer.writes === 'facts';

  try {
    return writesFacts ? await loadFacts() : await loadRecord();
  } catch (error) {
    if (error instanceof AlreadyImported) return error.result;
    // Two processes importing the same file at once: the second finds the first's log row.
    const again = isUniqueViolation(error) ? await findPrevious() : undefined;
    if (again?.state === 'complete') return unchanged(again);
    if (again) throw beingImported(again.id);
    throw error;
  }

  /** Into the system of record: the rows and the log row in one transaction. */
  async function loadRecord(): Promise<ImportResult> {
    return db
      .transaction()
      .execute(async (tx) => {
        const { id: importId } = await tx
          .insertInto('import_log')
          .values(logValues)
          .returning('id')
          .executeTakeFirstOrThrow();
        const outcome = await runImporter(tx, importId, undefined);
        await tx
          .updateTable('import_log')
          .set(outcomeColumns(outcome, clock()))
          .where('id', '=', importId)
          .execute();
        await audit(tx, options.actor, completedEvent(importId, outcome), clock);
        crashPoint('before-commit');
        return imported(importId, outcome);
      })
      .then((result) => {
        crashPoint('after-commit');
        return result;
      });
  }

  /**
   * Into the fact store, whose commit decides: the log row is written first as 'loading' (so its id
   * is never reused), the facts are committed with a marker naming it, then the row is completed.
   * After a crash between the two, `reconcileImports` completes the row from the marker, or removes
   * a row whose facts never committed.
   */
  async function loadFacts(): Promise<ImportResult> {
    const facts = options.facts;
    if (!facts) throw new Error(`the ${importer.kind} importer needs the fact store`);
    const { id: importId } = await db
      .insertInto('import_log')
      .values({ ...logValues, state: 'loading' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const transaction = await facts.begin();
    let outcome: Outcome;
    try {
      outcome = await runImporter(db, importId, factsWithin(facts, transaction.session));
      if (hashWhileLoading) {
        sha256 = await hashing;
        const previous = await findPrevious();
        if (previous) throw new AlreadyImported(alreadyImported(previous));
        await db
          .updateTable('import_log')
          .set({ file_sha256: sha256 })
          .where('id', '=', importId)
          .execute();
      }
      await writeImportCommit(transaction.session, {
        importId,
        kind: importer.kind,
        ...outcome,
        committedAt: clock(),
      });
      crashPoint('before-commit');
      await transaction.commit();
    } catch (error) {
      await transaction.rollback().catch(() => undefined);
      await db
        .deleteFrom('import_log')
        .where('id', '=', importId)
        .where('state', '=', 'loading')
        .execute()
        .catch(() => undefined);
      throw error;
    }
    crashPoint('between-commits');
    await completeImport(db, importId, outcome, options.actor, clock);
    crashPoint('after-commit');
    return imported(importId, outcome);
  }

  function completedEvent(importId: number, outcome: Outcome) {
    return importCompletedEvent(importId, {
      ...outcome,
      kind: importer.kind,
      fileName,
      sha256,
      period,
    });
  }

  function imported(importId: number, outcome: Outcome): ImportResult {
    return {
      status: 'imported',
      importId,
      kind: importer.kind,
      file: fileName,
      period,
      sha256,
      ...outcome,
    };
  }

  /** Runs the importer over the file; what it read, loaded, skipped and noted. */
  async function runImporter(
    tx: Db,
    importId: number,
    facts: FactStore | undefined,
  ): Promise<Outcome> {
    let rowsSkipped = 0;
    let rowsLoaded = 0;
    const skippedByReason = new Map<string, number>();
    const otherNotes: string[] = [];
    let layout: ColumnLayout | undefined = importer.layouts.find((l) => l.headerless);
    const ctx: ImportContext = {
      tx,
      file: fileName,
      importId,
      period,
      get layout() {
        return layout?.name ?? '';
      },
      skip(n, reason) {
        if (n <= 0) return;
        rowsSkipped += n;
        skippedByReason.set(reason, (skippedByReason.get(reason) ?? 0) + n);
      },
      loaded(n) {
        rowsLoaded += n;
      },
      note(message) {
        otherNotes.push(message);
      },
      actor: options.actor,
      get facts(): FactStore {
        if (!facts)
          throw new Error(
            `the ${importer.kind} importer writes the system of record; give it writes: 'facts' to load facts`,
          );
        return facts;
      },
      fail(line, column, reason) {
        throw new ImportError(fileName, line, column, reason);
      },
    };

    let rowsRead: number;
    if ('loadFile' in importer) {
      const header = await readHeader(filePath, fileName);
      const chosen = chooseLayout(importer, header, fileName);
      layout = chosen;
      rowsRead = await importer.loadFile(ctx, {
        path: filePath,
        layout: chosen,
        onProgress: (fraction) =>
          options.onProgress?.(Math.round(fraction * totalBytes), totalBytes),
      });
    } else {
      let rowLayout: Layout<Row> | undefined = importer.layouts.find((l) => l.headerless);
      rowsRead = await streamRows(
        importer,
        filePath,
        fileName,
        totalBytes,
        ctx,
        options,
        (l) => {
          layout = rowLayout = l;
        },
        () => rowLayout,
      );
      await importer.finish?.(ctx);
    }
    const notes = [
      ...[...skippedByReason].map(
        ([reason, n]) => `${n} row${n === 1 ? '' : 's'} skipped: ${reason}`,
      ),
      ...otherNotes,
    ];
    return { rowsRead, rowsLoaded, rowsSkipped, notes };
  }
}

/** Thrown inside a load that finds, once the file is hashed, that it was imported before. */
class AlreadyImported extends Error {
  constructor(readonly result: ImportResult) {
    super('already imported');
  }
}

/** What an importer did with a file. */
interface Outcome {
  rowsRead: number;
  rowsLoaded: number;
  rowsSkipped: number;
  notes: string[];
}

/**
 * The fact store as an importer sees it during an import: every statement, and every
 * `transaction(…)` it opens, runs inside the import's one fact-store transaction.
 */
function factsWithin(store: FactStore, session: FactSession): FactStore {
  return {
    description: store.description,
    run: (sqlText, params) => session.run(sqlText, params),
    all: (sqlText, params) => session.all(sqlText, params),
    numbers: (sqlText, params) => session.numbers(sqlText, params),
    transaction: (work) => work(session),
    begin: () => Promise.reject(new Error('an import already holds the fact-store transaction')),
    close: () => undefined,
  };
}

async function streamRows<Row>(
  importer: Importer<Row>,
  filePath: string,
  fileName: string,
  totalBytes: number,
  ctx: ImportContext,
  options: ImportOptions,
  setLayout: (layout: Layout<Row>) => void,
  getLayout: () => Layout<Row> | undefined,
): Promise<number> {
  const batchSize = options.batchSize ?? 5000;
  const delimiter =
    importer.delimiter === 'auto' ? await sniffDelimiter(filePath) : (importer.delimiter ?? ',');
  const input = createReadStream(filePath);
  let bytesRead = 0;
  input.on('data', (chunk) => {
    bytesRead += chunk.length;
    options.onProgress?.(bytesRead, totalBytes);
  });
  const parser = input.pipe(parse({ bom: true, delimiter, info: true, skip_empty_lines: true }));
  let columns: string[] | undefined = getLayout()?.headerless
    ? [...(getLayout()?.headerless ?? [])]
    : undefined;
  const seen = new Map<string, string>();
  let batch: NumberedRow<Row>[] = [];
  let rowsRead = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      const line = info.lines;
      if (!columns) {
        // Header cells sometimes carry line breaks or doubled spaces; compare them as single-spaced words.
        columns = record.map((c) => c.replace(/\s+/g, ' ').trim());
        setLayout(chooseLayout(importer, columns, fileName));
        continue;
      }
      rowsRead += 1;
      const layout = getLayout();
      if (!layout) throw new ImportError(fileName, line, undefined, 'no layout chosen');
      if (record.length !== columns.length) {
        throw new ImportError(
          fileName,
          line,
          undefined,
          `expected ${columns.length} fields, found ${record.length} (is the file cut short?)`,
        );
      }
      const raw: Record<string, string> = {};
      for (let i = 0; i < columns.length; i++) raw[columns[i] ?? String(i)] = record[i] ?? '';
      const parsed = layout.schema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const column = issue?.path[0] === undefined ? undefined : String(issue.path[0]);
        const found = column === undefined ? '' : ` (found "${(raw[column] ?? '').slice(0, 60)}")`;
        throw new ImportError(fileName, line, column, `${issue?.message ?? 'invalid row'}${found}`);
      }
      if (importer.key) {
        const key = importer.key(parsed.data);
        // Only 'drop-identical' needs the whole row to compare; otherwise the key alone decides.
        const fingerprint =
          importer.duplicates === 'drop-identical' ? JSON.stringify(parsed.data) : '';
        const earlier = seen.get(key);
        if (earlier !== undefined) {
          if (importer.duplicates === 'drop-identical' && earlier === fingerprint) {
            ctx.skip(1, 'exact repeat of an earlier row');
            continue;
          }
          throw new ImportError(fileName, line, undefined, `duplicate row for ${key}`);
        }
        seen.set(key, fingerprint);
      }
      batch.push({ row: parsed.data, line });
      if (batch.length >= batchSize) {
        await importer.load(ctx, batch);
        batch = [];
      }
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      throw new ImportError(fileName, line, undefined, `not valid CSV: ${error.message}`);
    }
    throw error;
  }
  if (!columns) throw new ImportError(fileName, 1, undefined, 'the file is empty');
  if (batch.length) await importer.load(ctx, batch);
  if (rowsRead === 0)
    throw new ImportError(fileName, 2, undefined, 'the file has a header but no rows');
  return rowsRead;
}

/** The header row of a CSV file, each name single-spaced and trimmed. */
export async function readHeader(filePath: string, fileName: string): Promise<string[]> {
  const parser = createReadStream(filePath).pipe(parse({ bom: true, to_line: 1 }));
  for await (const record of parser as AsyncIterable<string[]>) {
    parser.destroy();
    return record.map((c) => c.replace(/\s+/g, ' ').trim());
  }
  throw new ImportError(fileName, 1, undefined, 'the file is empty');
}

async function sniffDelimiter(filePath: string): Promise<string> {
  const stream = createReadStream(filePath, { start: 0, end: 65535, encoding: 'utf8' });
  let head = '';
  for await (const chunk of stream) head += chunk as string;
  const firstLine = head.split(/\r?\n/, 1)[0] ?? '';
  return firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
}
