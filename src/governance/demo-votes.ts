// The demo group's illustrative an open member practice vote (and a closed one linked to a decision), seeded with the rest of its governance demo
// (demo-governance.ts), with fictional names and dates relative to the seed day.
import type { Kysely } from 'kysely';
import type { Group } from '../organisations/group.service.js';
import type { Database } from '../platform/db/schema.js';

export async function seedDemoVotes(_db: Kysely<Database>, _group: Group, _today: string) {
  // Not yet written.
}
