// Financial risk at the scale, in its own process so that its peak memory is its own:
//   node --import tsx bench/finance.ts <seeded data dir>
import { requireGroup } from '../src/organisations/group.service.js';
import { isoDate } from '../src/platform/clock.js';
import { openStore } from '../src/platform/db/database.js';
import { groupRisk } from '../src/finance/risk.service.js';
import { peakRssMb } from './measure.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: bench/finance.ts <seeded data dir>');
const store = await openStore({ dataDir });
try {
  const group = await requireGroup(store.db, '09G', isoDate(new Date()));
  const started = performance.now();
  const r = await groupRisk(store.db, group, { years: '100000' });
  const seconds = (performance.now() - started) / 1000;
  const units = r.practices.length + r.pcns.length + 1 + r.sizes.length;
  console.log(
    `  Monte Carlo, 09G: 100,000 years × ${r.practices.length} practices (each alone and pooled in ${r.pcns.length} PCNs), the group and ${r.sizes.length} other sizes (${units} populations): ${seconds.toFixed(2)} s, peak RSS ${peakRssMb().toFixed(0)} MB  [target < 5 s, < 500 MB]`,
  );
} finally {
  await store.close();
}
