// The OpenAPI paths of the procurement decisions register (spread into src/platform/http/openapi.ts).

export const procurementPaths = {} as const;
