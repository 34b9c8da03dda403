// Shared pieces of the OpenAPI description, for each area's own paths (e.g. src/governance/*.openapi.ts).

export const errorResponse = {
  description: 'Error',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
};
export const privateResponses = {
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
export const codeParameter = {
  name: 'code',
  in: 'path',
  required: true,
  description: 'Group (CCG / sub-ICB) ODS code, e.g. 09G',
  schema: { type: 'string', pattern: '^[A-Za-z0-9]{2,9}$' },
};
export const anyObject = { type: 'object', additionalProperties: true };
/** A private GET under a group: summary, extra parameters, 400 when any parameter can be bad. */
export const privateGet = (summary: string, parameters: object[], description: string) => ({
  get: {
    summary,
    tags: ['private'],
    security: [{ session: [] }],
    parameters: [codeParameter, ...parameters],
    responses: {
      '200': { description, content: { 'application/json': { schema: anyObject } } },
      ...(parameters.length ? { '400': errorResponse } : {}),
      ...privateResponses,
    },
  },
});

/** A public GET under a group (no sign-in): summary, extra parameters, 404 for an unknown group. */
export const publicGet = (summary: string, parameters: object[], description: string) => ({
  get: {
    summary,
    tags: ['public'],
    parameters: [codeParameter, ...parameters],
    responses: {
      '200': { description, content: { 'application/json': { schema: anyObject } } },
      ...(parameters.length ? { '400': errorResponse } : {}),
      '404': { ...errorResponse, description: 'No such group (or record)' },
    },
  },
});
