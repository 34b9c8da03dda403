// The embedded database refuses a second user at once, so two processes can never corrupt it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore, StoreInUseError } from '../../src/platform/db/database.js';

describe('embedded database lock', () => {
  it('lets one user at a time open a data folder, and takes over a lock left by an ended process', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'flock-lock-'));
    try {
      const first = await openStore({ dataDir });
      await expect(openStore({ dataDir })).rejects.toBeInstanceOf(StoreInUseError);
      await first.close();
      writeFileSync(path.join(dataDir, 'pg.lock'), '999999999'); // no such process
      const second = await openStore({ dataDir });
      await second.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
