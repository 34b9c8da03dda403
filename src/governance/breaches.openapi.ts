// The OpenAPI paths of the breaches register and decisions by delegated officers (spread into src/platform/http/openapi.ts).
import { privateGet, publicGet } from '../platform/http/openapi-parts.js';

const idParameter = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'The breach’s reference number',
  schema: { type: 'integer', minimum: 1 },
};

export const breachPaths = {
  '/api/v1/groups/{code}/public/breaches': publicGet(
    'The published breaches register (no sign-in): for each breach with an anonymised summary, its kind, the month and year it was identified (not exact dates), the summary, the action taken, the standard bodies it was reported to and whether it is closed; and for each financial year how many breaches were recorded and how many are under review (no summary yet). Never the person concerned, the private account of what happened, or anything else typed as whom it was reported to',
    [],
    'Published breaches and counts by year',
  ),
  '/api/v1/groups/{code}/governance/breaches': privateGet(
    'The full breaches register (the group’s officers, governing body, lay members, conflicts of interest guardian, oversight; not member practices): every breach with the person concerned, what happened, dates, action taken, whom it was reported to, the public summary, and days open; open breaches first',
    [],
    'Breaches',
  ),
  '/api/v1/groups/{code}/governance/breaches/{id}': privateGet(
    'One breach in full (the same readers as the full register); 404 for a breach not in this group',
    [idParameter],
    'The breach',
  ),
} as const;
