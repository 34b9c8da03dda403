// The OpenAPI description of Flock's JSON API, served at /api/openapi.json.
import { practiceSortKeys } from '../../organisations/group.service.js';

const errorResponse = {
  description: 'Error',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
};
const privateResponses = {
  '401': { ...errorResponse, description: 'Not signed in' },
  '403': {
    ...errorResponse,
    description: 'Signed in, but without a role in this group (or oversight of it)',
  },
  '404': {
    ...errorResponse,
    description: 'No such group, or the practice was never a member of it',
  },
};
const codeParameter = {
  name: 'code',
  in: 'path',
  required: true,
  description: 'Group (CCG / sub-ICB) ODS code, e.g. 09G',
  schema: { type: 'string', pattern: '^[A-Za-z0-9]{2,9}$' },
};
const practiceParameter = {
  name: 'practice',
  in: 'path',
  required: true,
  description: 'Practice ODS code, e.g. H82006',
  schema: { type: 'string' },
};
const anyObject = { type: 'object', additionalProperties: true };

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
  },
} as const;
