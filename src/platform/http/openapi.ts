// The OpenAPI description of Flock's JSON API, served at /api/openapi.json.
import { practiceSortKeys } from '../../organisations/group.service.js';
import { marMeasures, pointOfDeliveryCodes } from '../../variation/activity.js';
import { votePaths } from '../../governance/votes.openapi.js';
import { procurementPaths } from '../../governance/procurement.openapi.js';
import { breachPaths } from '../../governance/breaches.openapi.js';
import {
  anyObject,
  codeParameter,
  errorResponse,
  privateGet,
  privateResponses,
  publicGet,
} from './openapi-parts.js';

const practiceParameter = {
  name: 'practice',
  in: 'path',
  required: true,
  description: 'Practice ODS code, e.g. H82006',
  schema: { type: 'string' },
};
const query = (name: string, description: string, schema: Record<string, unknown>) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});
const monthPattern = { type: 'string', pattern: '^\\d{4}-\\d{2}$' };
const monthQuery = query(
  'month',
  'Month, YYYY-MM (default: the latest with prescribing)',
  monthPattern,
);
const measureParameter = {
  name: 'measure',
  in: 'path',
  required: true,
  description: 'Measure id, e.g. broad_spectrum_antibiotics (the files in measures/)',
  schema: { type: 'string' },
};
const podQuery = query('pod', 'Point of delivery (default gp-referral)', {
  type: 'string',
  enum: [...pointOfDeliveryCodes],
});
const toQuery = query(
  'to',
  'Last month of the 12-month period, YYYY-MM (default: latest)',
  monthPattern,
);
const rebaseQuery = query(
  'rebase',
  'Months where the SPC limits are recalculated, YYYY-MM, comma-separated',
  { type: 'string' },
);
const specialtyQuery = query('specialty', 'Treatment function code (3 digits) or "all"', {
  type: 'string',
  pattern: '^(\\d{3}|all)$',
});
const yearQuery = query(
  'year',
  'Financial year of the plan, e.g. 2022/23 (default: the latest plan)',
  {
    type: 'string',
    pattern: '^\\d{4}/\\d{2}$',
  },
);
export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Flock API',
    version: '1',
    description:
      'JSON for every page of Flock. Private endpoints use the browser session cookie (sign in at /sign-in). ' +
      'Money is in integer pence (fields ending _pence or Pence). Every response names its sources. ' +
      'Contains public sector information licensed under the Open Government Licence v3.0.',
    license: { name: 'MIT' },
  },
  servers: [{ url: '/' }],
  components: {
    securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'flock_session' } },
    schemas: {
      Error: {
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            required: ['code', 'message'],
            properties: {
              code: {
                type: 'string',
                enum: [
                  'invalid_input',
                  'unauthenticated',
                  'csrf_failed',
                  'forbidden',
                  'not_found',
                  'conflict',
                  'rate_limited',
                  'method_not_allowed',
                ],
              },
              message: { type: 'string' },
              problems: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { field: { type: 'string' }, message: { type: 'string' } },
                },
              },
            },
          },
        },
      },
      GroupSummary: {
        type: 'object',
        properties: {
          code: { type: 'string' },
          name: { type: 'string' },
          memberPractices: { type: 'integer' },
          membershipOn: {
            type: 'string',
            format: 'date',
            description: 'Today, or the last day of a group that no longer exists',
          },
          stillExists: { type: 'boolean' },
        },
      },
    },
  },
  paths: {
    '/api/v1/groups': {
      get: {
        summary: 'All commissioning groups with their number of member practices',
        tags: ['public'],
        responses: {
          '200': {
            description: 'Groups',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    groups: { type: 'array', items: { $ref: '#/components/schemas/GroupSummary' } },
                    sources: { type: 'array', items: { type: 'string' } },
                  },
                },
              },
            },
          },
        },
      },
    },
    '/api/v1/groups/{code}': {
      get: {
        summary: "A group's public page: member practices and list sizes",
        tags: ['public'],
        parameters: [codeParameter],
        responses: {
          '200': {
            description: 'Group and members',
            content: { 'application/json': { schema: anyObject } },
          },
          '404': errorResponse,
        },
      },
    },
    '/api/v1/groups/{code}/overview': {
      get: {
        summary: 'Weighted population by allocation component and share of ICB, region and England',
        tags: ['private'],
        security: [{ session: [] }],
        parameters: [
          codeParameter,
          {
            name: 'year',
            in: 'query',
            required: false,
            description: 'Allocation year, e.g. 2022/23 (default: latest)',
            schema: { type: 'string', pattern: '^\\d{4}/\\d{2}$' },
          },
        ],
        responses: {
          '200': {
            description: 'Overview',
            content: { 'application/json': { schema: anyObject } },
          },
          '400': errorResponse,
          ...privateResponses,
        },
      },
    },
    '/api/v1/groups/{code}/practices': {
      get: {
        summary:
          'Member practices with list size, weighted population, IMD decile and main QOF prevalences',
        tags: ['private'],
        security: [{ session: [] }],
        parameters: [
          codeParameter,
          {
            name: 'sort',
            in: 'query',
            required: false,
            schema: {
              type: 'string',
              enum: [...practiceSortKeys],
            },
          },
          {
            name: 'order',
            in: 'query',
            required: false,
            schema: { type: 'string', enum: ['asc', 'desc'] },
          },
        ],
        responses: {
          '200': {
            description: 'Practices',
            content: { 'application/json': { schema: anyObject } },
          },
          '400': errorResponse,
          ...privateResponses,
        },
      },
    },
    '/api/v1/groups/{code}/practices/{practice}': {
      get: {
        summary:
          'Practice profile: membership history, population by age and sex, QOF prevalence with 95% Wilson intervals, NHS payments per patient',
        tags: ['private'],
        security: [{ session: [] }],
        parameters: [codeParameter, practiceParameter],
        responses: {
          '200': { description: 'Profile', content: { 'application/json': { schema: anyObject } } },
          ...privateResponses,
        },
      },
    },
    '/api/v1/groups/{code}/variation/between-groups': privateGet(
      'GP referrals made per 1,000 registered patients for every group in England in a financial year (real MAR numerators, registered patients from NHS payments), with funnel limits and the group’s peers',
      [
        query('year', 'Financial year, e.g. 2018-19 (default: latest with both sources)', {
          type: 'string',
          pattern: '^\\d{4}-\\d{2}$',
        }),
      ],
      'Rates, funnel significance and limits',
    ),
    '/api/v1/groups/{code}/variation/activity/{measure}': privateGet(
      'The group’s real monthly activity (Monthly Activity Return) as an XmR SPC chart with Making Data Count point types and variation icon',
      [
        {
          name: 'measure',
          in: 'path',
          required: true,
          schema: { type: 'string', enum: Object.keys(marMeasures) },
        },
        rebaseQuery,
      ],
      'Monthly values, limits by segment, special causes',
    ),
    '/api/v1/groups/{code}/variation/ae': privateGet(
      'A&E 4-hour performance of one of the group’s main acute trusts as an SPC chart with assurance against the 95% standard',
      [
        query('provider', 'Trust ODS code, e.g. RYR (default: the main acute trust)', {
          type: 'string',
        }),
        rebaseQuery,
      ],
      'Monthly performance, limits, assurance',
    ),
    '/api/v1/groups/{code}/variation/practices': privateGet(
      'Indirectly standardised ratios by practice and specialty over 12 months, with funnel significance (synthetic activity for the demo group)',
      [podQuery, toQuery],
      'Grid of ratios, intervals and signals',
    ),
    '/api/v1/groups/{code}/variation/practices/funnel': privateGet(
      'Funnel plot of the group’s practices for one point of delivery and specialty',
      [podQuery, toQuery, specialtyQuery],
      'Points and 95% / 99.8% limits',
    ),
    '/api/v1/groups/{code}/practices/{practice}/activity': privateGet(
      'A practice’s monthly activity for a point of delivery and specialty as an SPC chart',
      [practiceParameter, podQuery, specialtyQuery, rebaseQuery],
      'Monthly counts, limits, special causes',
    ),
    '/api/v1/groups/{code}/prescribing': privateGet(
      'Every prescribing measure for the group by month (OpenPrescribing’s definitions where adopted) against the deciles of England’s practices and of groups, worst first in the chosen month, with the group’s percentile (among groups when enough groups’ prescribing is held, else among practices) and cost savings at the 10th percentile',
      [monthQuery],
      'Measures with group values, practice and group deciles, the comparison made and savings',
    ),
    '/api/v1/groups/{code}/prescribing/measures/{measure}': privateGet(
      'One measure: its definition and why it matters, the group by month, and every member practice in the month with its national percentile',
      [measureParameter, monthQuery],
      'Measure, group series and practices',
    ),
    '/api/v1/groups/{code}/prescribing/practices/{practice}': privateGet(
      'One member practice: its measures, its price-per-unit savings of £10 or more by substitution set, and its spend by BNF chapter against a list-size fair share',
      [practiceParameter, monthQuery],
      'Measures, price-per-unit savings and chapters',
    ),
    '/api/v1/groups/{code}/prescribing/price-per-unit': privateGet(
      'Price-per-unit savings for the group by substitution set (a generic, its brands and equivalent formulations), OpenPrescribing’s method: each practice’s saving against the set’s 10th-percentile price per unit among England’s practices, summed over the group and listed from £200; the total is the sum of the rows',
      [monthQuery],
      'Savings by substitution set, in pence',
    ),
    '/api/v1/groups/{code}/finance/allocation': privateGet(
      'The group’s registered and weighted population for an allocation year and formula component; given the national £ per weighted head and the allocation, its target, distance from target and per-head figures, and fair shares by PCN and practice (pence)',
      [
        query('year', 'Allocation year, e.g. 2024_2025 as held (default: latest)', {
          type: 'string',
        }),
        query('component', 'Formula component (default core_services)', { type: 'string' }),
        query('perHead', 'National £ per weighted head, e.g. 1135.41', { type: 'string' }),
        query('allocation', 'The group’s allocation in £', { type: 'string' }),
        query(
          'groupings',
          'Custom groupings of practices (localities or any other), one per line: "Name: CODE, CODE"; each practice in one grouping at most',
          { type: 'string' },
        ),
      ],
      'Populations, target, distance from target, fair shares',
    ),
    '/api/v1/groups/{code}/finance/risk': privateGet(
      'Financial risk by Monte Carlo (illustrative assumptions, each an input): for each practice (alone and pooled in its PCN), each PCN, the group and populations of other sizes, the chance of overspending a budget set at expected cost by more than 1%, 5% and 10%, and the 5th–95th percentile of spend against budget',
      [
        query('years', 'Years simulated, 100 to 100,000 (default 10,000)', { type: 'integer' }),
        query('seed', 'Random seed (default 20110501)', { type: 'integer' }),
        query('ordinaryMean', 'Mean annual cost of an ordinary patient, £ (default 900)', {
          type: 'number',
        }),
        query('ordinaryCv', 'Its coefficient of variation (default 2.5)', { type: 'number' }),
        query('highCostPer1000', 'High-cost patients per 1,000 a year (default 5)', {
          type: 'number',
        }),
        query('highCostMean', 'Mean annual cost of a high-cost patient, £ (default 40,000)', {
          type: 'number',
        }),
        query('highCostCv', 'Its coefficient of variation, lognormal (default 1)', {
          type: 'number',
        }),
        query('stopLoss', 'Stop-loss threshold per patient, £ (default none)', { type: 'number' }),
      ],
      'Probabilities of overspending and the spread of spend against budget',
    ),
    '/api/v1/groups/{code}/finance/rules': privateGet(
      'The financial year’s business rules (planned surplus, contingency, non-recurrent headroom, running cost allowance) with the source of each figure and whether it is confirmed; given the plan’s figures in £, each rule checked with the amount it asks, the plan’s and the gap (pence)',
      [
        query('year', 'Financial year, e.g. 2014/15 (default: latest held)', { type: 'string' }),
        ...['allocation', 'surplus', 'contingency', 'headroom', 'runningCosts'].map((k) =>
          query(k, `The plan’s ${k} in £ (all five, or none)`, { type: 'string' }),
        ),
      ],
      'Rules with sources, and the plan checked',
    ),
    '/api/v1/groups/{code}/finance/practice-budgets': privateGet(
      'Practice indicative prescribing budgets for a financial year: each member practice’s fair share of the prescribing budget (by weighted population for prescribing) against its actual spend from the prescribing facts (pence); activity budgets marked not yet available',
      [
        query('year', 'Financial year with prescribing, e.g. 2018-19 (default: latest)', {
          type: 'string',
        }),
        query('budget', 'The group’s prescribing budget in £ (default: its actual spend)', {
          type: 'string',
        }),
      ],
      'Fair shares, actual spend and differences',
    ),
    '/api/v1/groups/{code}/finance/plan': privateGet(
      'The group’s financial plan for a year (officers, governing body and lay members; 403 for member practices): allocation, committed spend and growth, budgets by programme and cost centre (adding up to the allocation), the plan checked against the year’s business rules (carried forward rule by rule when none are held for the year), and the QIPP requirement with its derivation (pence). Finance officers change the plan through the page’s forms',
      [yearQuery],
      'Plan, rule checks and QIPP requirement',
    ),
    '/api/v1/groups/{code}/finance/qipp': privateGet(
      'QIPP schemes for a year: owner, cost centre, risk, planned saving and delivery by month, totals by month and risk, and the requirement not yet covered by any scheme (pence)',
      [yearQuery],
      'Schemes and delivery',
    ),
    '/api/v1/groups/{code}/finance/budget': privateGet(
      'Budget against actual for a year by programme and cost centre, with forecast outturn by run-rate and by phased plan plus known commitments; each variance split into the variance to date and the rest of the year, with the explanation in words; cumulative figures by month (pence). Actuals count every ledger import not reversed and every journal',
      [yearQuery],
      'Budget, actual and forecasts',
    ),
    '/api/v1/groups/{code}/finance/ledger': privateGet(
      'The ledger by month: the import that counts (file, rows, total, who), reversed imports with who and why, journals with reasons, whether the month is closed; and the known commitments',
      [yearQuery],
      'Months, imports, journals, commitments',
    ),
    '/api/v1/groups/{code}/finance/running-costs': privateGet(
      'Running costs by category against the running cost allowance (£ per registered patient × registered patients; the figure’s year and source), budget, actual to date and forecast (pence). Open to member practices',
      [yearQuery],
      'Running cost allowance and its use',
    ),
    '/api/v1/groups/{code}/variation/attention': privateGet(
      'What stands out: funnel outliers at 99.8%, special causes in the last 6 months, assurance failures; each with a link and the reason',
      [],
      'Items needing attention',
    ),
    '/api/v1/groups/{code}/variation/pairs': privateGet(
      'Learning pairs: suggested low-referring partners for each high outlier, and the pairings recorded by clinical leads',
      [podQuery],
      'Suggestions and recorded pairs',
    ),
    '/api/v1/groups/{code}/public/interests': {
      get: {
        summary:
          'The published register of interests (no sign-in): decision-makers’ declared interests until six months after each ends, who has nothing to publish, and the conflicts of interest guardian; never contact details or anyone else’s interests',
        tags: ['public'],
        parameters: [codeParameter],
        responses: {
          '200': {
            description: 'Published register',
            content: { 'application/json': { schema: anyObject } },
          },
          '404': { ...errorResponse, description: 'No such group' },
        },
      },
    },
    '/api/v1/groups/{code}/public/gifts': {
      get: {
        summary:
          'The published gifts and hospitality register (no sign-in): offers to decision-makers that must be declared, accepted or declined, with value (pence), date and approval',
        tags: ['public'],
        parameters: [codeParameter],
        responses: {
          '200': {
            description: 'Published gifts and hospitality',
            content: { 'application/json': { schema: anyObject } },
          },
          '404': { ...errorResponse, description: 'No such group' },
        },
      },
    },
    '/api/v1/groups/{code}/governance/gifts': privateGet(
      'The full gifts and hospitality register (officers): every offer with the thresholds’ version and ruling, whether it must be declared, approval, and whether it is published',
      [],
      'Every offer',
    ),
    '/api/v1/groups/{code}/public/governance': publicGet(
      'Who governs the group (no sign-in): each committee (the governing body included) with its terms of reference, quorum rule and current members (names, roles, who votes and who is a decision-maker), and how to contact the conflicts of interest guardian. No personal contact details',
      [],
      'Governing body and committees',
    ),
    '/api/v1/groups/{code}/public/meetings': publicGet(
      'Every meeting (no sign-in): before it is held, its agenda and papers; once held, its minutes generated from the record (attendance, declarations and how they were managed, quorum, decisions)',
      [],
      'Meetings',
    ),
    '/api/v1/groups/{code}/governance/people': privateGet(
      'People and committees (officers, governing body and lay members): everyone in the register with private contact details, every appointment (current and past) with voting, decision-maker and guardian flags, the committees with their quorum rule and terms, and the guardian’s public contact',
      [],
      'People, appointments and committees',
    ),
    '/api/v1/groups/{code}/public/meetings/{id}': {
      get: {
        summary:
          'A meeting (no sign-in): before it is held, its agenda and papers; once held, the minutes generated from the record: who was present, each item with the declarations and how they were managed, who could decide, whether it was quorate, and the decision with its reasons and votes',
        tags: ['public'],
        parameters: [
          codeParameter,
          { name: 'id', in: 'path', required: true, schema: { type: 'integer' } },
        ],
        responses: {
          '200': { description: 'Minutes', content: { 'application/json': { schema: anyObject } } },
          '404': { ...errorResponse, description: 'No such group or meeting' },
        },
      },
    },
    '/api/v1/groups/{code}/governance/meetings/{id}': privateGet(
      'A meeting for its secretary and officers: members, each item with likely conflicts before the meeting (declared interests in the organisation it concerns), declarations, quorum recalculated without conflicted voting members, and the decision',
      [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
      'Meeting',
    ),
    '/api/v1/groups/{code}/public/decisions': {
      get: {
        summary:
          'The decisions log (no sign-in): every decision of the governing body and its committees at meetings held, and every decision taken outside a meeting by a named officer under the scheme of delegation, newest first; each with kind ("meeting" or "officer"), date, item or title, decision and reasons; meeting decisions with committee, meeting, votes and a link to the public minutes; officer decisions with the officer’s name and role (never contact details), the delegation relied on and the value in pence',
        tags: ['public'],
        parameters: [codeParameter],
        responses: {
          '200': {
            description: 'Decisions',
            content: { 'application/json': { schema: anyObject } },
          },
          '404': { ...errorResponse, description: 'No such group' },
        },
      },
    },
    '/api/v1/groups/{code}/governance/interests': privateGet(
      'The full register of interests (officers, governing body and lay members): every person with their current roles, last declaration and what is due or overdue; every declaration’s current version with the number of versions, late and published flags',
      [],
      'Full register and overdue declarations',
    ),
    '/api/v1/imports': {
      get: {
        summary: 'Every imported file: kind, name, SHA-256, period, rows',
        tags: ['public'],
        responses: {
          '200': { description: 'Imports', content: { 'application/json': { schema: anyObject } } },
        },
      },
    },
    '/api/v1/audit': {
      get: {
        summary: 'Audit log (administrators; scoped to the organisations they administer)',
        tags: ['private'],
        security: [{ session: [] }],
        parameters: [
          { name: 'offset', in: 'query', required: false, schema: { type: 'integer', minimum: 0 } },
        ],
        responses: {
          '200': {
            description: 'Audit events, newest first',
            content: { 'application/json': { schema: anyObject } },
          },
          '401': errorResponse,
          '403': errorResponse,
        },
      },
    },
    '/api/v1/me': {
      get: {
        summary: 'The signed-in user and their roles',
        tags: ['private'],
        security: [{ session: [] }],
        responses: {
          '200': { description: 'User', content: { 'application/json': { schema: anyObject } } },
          '401': errorResponse,
        },
      },
    },
    ...votePaths,
    ...procurementPaths,
    ...breachPaths,
  },
} as const;
