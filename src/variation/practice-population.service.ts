// The age/sex populations of a group's practices, as used for expected activity and standardisation.
import { listMembers } from '../organisations/group.repository.js';
import type { Group } from '../organisations/group.service.js';
import type { Db } from '../platform/db/schema.js';
import { latestListSizes } from '../population/population.repository.js';
import { latestAgeSex } from './activity.repository.js';
import type { PracticePopulation } from './synthetic-activity.js';

export interface GroupPopulations {
  practices: (PracticePopulation & {
    id: number;
    name: string;
    listSize: number;
    ageSexFrom: string;
  })[];
  /** How many practices had no age/sex extract and were given the group's age/sex mix. */
  estimated: number;
  extractDates: string[];
}

/**
 * Member practices with patients by sex and 5-year band from their latest NHS Digital extract.
 * A practice without one (closed before the extract) gets the group's mix scaled to its last
 * known list size, and says so.
 */
export async function groupPopulations(db: Db, group: Group): Promise<GroupPopulations> {
  const members = await listMembers(db, group.id, group.as_at);
  const ids = members.map((m) => m.id);
  const [ageSex, listSizes] = await Promise.all([latestAgeSex(db, ids), latestListSizes(db, ids)]);
  const bandsByPractice = new Map<number, PracticePopulation['bands']>();
  const mix = new Map<string, number>();
  let mixTotal = 0;
  for (const row of ageSex) {
    const bands = bandsByPractice.get(row.practice_id) ?? [];
    bands.push({ sex: row.sex, band: row.age_band, patients: row.patients });
    bandsByPractice.set(row.practice_id, bands);
    const key = `${row.sex}|${row.age_band}`;
    mix.set(key, (mix.get(key) ?? 0) + row.patients);
    mixTotal += row.patients;
  }
  const sizes = new Map(listSizes.map((l) => [l.practice_id, l]));
  const extractDates = [...new Set(ageSex.map((r) => r.extract_date))].sort();
  let estimated = 0;
  const practices: GroupPopulations['practices'] = [];
  for (const member of members) {
    const own = bandsByPractice.get(member.id);
    const size = sizes.get(member.id);
    if (own) {
      const listSize = own.reduce((s, b) => s + b.patients, 0);
      practices.push({
        id: member.id,
        code: member.code,
        name: member.name,
        bands: own,
        listSize,
        ageSexFrom: 'extract',
      });
    } else if (size && mixTotal > 0) {
      estimated += 1;
      practices.push({
        id: member.id,
        code: member.code,
        name: member.name,
        listSize: size.patients,
        ageSexFrom: `group mix × list size (${size.period})`,
        bands: [...mix].map(([key, patients]) => {
          const [sex, band] = key.split('|') as ['female' | 'male', string];
          return { sex, band, patients: (patients / mixTotal) * size.patients };
        }),
      });
    }
  }
  return { practices, estimated, extractDates };
}
