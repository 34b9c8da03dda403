// Migrations apply once, in order, and refuse to run when an applied one has been edited.
import { describe, expect, it } from 'vitest';
import { migrate, readMigrations } from '../../src/platform/db/migrate.js';
import { engines, freshStore } from '../support/stores.js';

describe.each(engines())('migrations on %s', (engine) => {
  it('applies nothing the second time and detects an edited migration', async () => {
    const store = await freshStore(engine);
    try {
      expect(await migrate(store)).toEqual([]);
      const migrations = await readMigrations();
      const edited = migrations.map((m, i) => (i === 0 ? { ...m, checksum: 'f'.repeat(64) } : m));
      await expect(migrate(store, edited)).rejects.toThrow(/was changed after it was applied/);
    } finally {
      await store.close();
    }
  });
});
