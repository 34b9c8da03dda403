// The OpenAPI paths of the procurement decisions register (spread into src/platform/http/openapi.ts).
import { privateGet, publicGet } from '../platform/http/openapi-parts.js';

const idParameter = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'Procurement id',
  schema: { type: 'integer', minimum: 1 },
};

export const procurementPaths = {
  '/api/v1/groups/{code}/public/procurement': publicGet(
    'Published procurement decisions register (no sign-in)',
    [],
    'Each procurement decision as published: route, service, value in pence (whole term), contract dates, status, awardee, decision date and who decided, rationale, key criteria and weights, the number of providers evaluated and the awardee’s weighted score, decision-makers with their declared conflicts and how each was managed, notice dates and the standstill (end date in England and Wales working days). Never bidders’ individual scores, losing bidders’ names or anyone’s contact details.',
  ),
  '/api/v1/groups/{code}/public/procurement/{id}': publicGet(
    'One published procurement decision (no sign-in)',
    [idParameter],
    'One procurement decision as published (the same fields as the register).',
  ),
  '/api/v1/groups/{code}/governance/procurement': privateGet(
    'Full procurement decisions register',
    [],
    'Every procurement with criteria and weights, bidders ranked with their scores and exact weighted totals (two decimals), decision-makers and conflicts, notices, standstill and status. For the group’s officers, governing body, lay members and contracts officers. When the signed-in user declared an interest in a bidder or the awardee, `bidders` is empty and `scoresWithheld` gives the reason and the number of providers evaluated.',
  ),
  '/api/v1/groups/{code}/governance/procurement/{id}': privateGet(
    'One procurement in full',
    [idParameter],
    'One procurement with criteria, ranked bidders and scores, decision-makers, standstill and status. When the signed-in user declared an interest in a bidder or the awardee, `bidders` is empty and `scoresWithheld` gives the reason and the number of providers evaluated.',
  ),
} as const;
