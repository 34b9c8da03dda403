// The OpenAPI paths of member practice votes and consultations (spread into src/platform/http/openapi.ts).

export const votePaths = {} as const;
