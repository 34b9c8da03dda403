// The embedded database's Kysely dialect: callers take turns on PGlite's one connection, and a
// transaction that fails leaves nothing behind while others carry on.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/platform/db/database.js';

describe('PGlite through Kysely', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore({ dataDir: 'memory' });
    await sql`CREATE TABLE t (n integer PRIMARY KEY)`.execute(store.db);
  });
  afterAll(() => store.close());

  it('runs transactions one at a time, rolls back a failed one, and reports affected rows', async () => {
    const slow = store.db.transaction().execute(async (tx) => {
      await sql`INSERT INTO t VALUES (1)`.execute(tx);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await sql`INSERT INTO t VALUES (2)`.execute(tx);
    });
    const failing = store.db.transaction().execute(async (tx) => {
      await sql`INSERT INTO t VALUES (3)`.execute(tx);
      throw new Error('changed my mind');
    });
    // Outside any transaction, a query waits for the connection instead of joining another's.
    const counted = sql<{ n: number }>`SELECT count(*)::int AS n FROM t`.execute(store.db);
    await slow;
    await expect(failing).rejects.toThrow('changed my mind');
    expect((await counted).rows[0]!.n).toBe(2);
    const rows = await sql<{ n: number }>`SELECT n FROM t ORDER BY n`.execute(store.db);
    expect(rows.rows.map((r) => r.n)).toEqual([1, 2]);
    const deleted = await sql`DELETE FROM t WHERE n > 0`.execute(store.db);
    expect(deleted.numAffectedRows).toBe(2n);
  });
});
