// Resolves practice codes in fact files to stored practices, stopping the import at an unknown code.
import type { ImportContext, NumberedRow } from '../platform/imports/import-runner.js';
import { organisationIdsByCode } from './organisation.repository.js';

/** Creates a resolver that loads the practice register once per import. */
export function practiceResolver() {
  let ids: Map<string, number> | undefined;
  return {
    /** Practice id for each row, or an import error naming the first row with an unknown code. */
    async resolve<Row>(
      ctx: ImportContext,
      rows: readonly NumberedRow<Row>[],
      codeOf: (row: Row) => string,
      column: string,
    ): Promise<number[]> {
      ids ??= await organisationIdsByCode(ctx.tx, 'practice');
      const known = ids;
      return rows.map(({ row, line }) => {
        const code = codeOf(row);
        const id = known.get(code);
        if (id === undefined) {
          ctx.fail(
            line,
            column,
            `unknown practice code "${code}": it is not in the organisation register ` +
              '(import the ODS practice file or a mapping file that names it first)',
          );
        }
        return id;
      });
    },
    /** Tells the resolver about practices an importer has just registered. */
    remember(newIds: Map<string, number>) {
      if (!ids) return; // not loaded yet: the first resolve will read them from the same transaction
      for (const [key, id] of newIds) {
        const [type, code] = key.split(':');
        if (type === 'practice' && code) ids.set(code, id);
      }
    },
  };
}
