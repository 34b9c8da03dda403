// The demo group's illustrative a few procurement decisions, seeded with the rest of its governance demo
// (demo-governance.ts), with fictional names and dates relative to the seed day.
import type { Kysely } from 'kysely';
import type { Group } from '../organisations/group.service.js';
import type { Database } from '../platform/db/schema.js';

export async function seedDemoProcurement(_db: Kysely<Database>, _group: Group, _today: string) {
  // Not yet written.
}
