// The OpenAPI paths of the breaches register and decisions by delegated officers (spread into src/platform/http/openapi.ts).

export const breachPaths = {} as const;
