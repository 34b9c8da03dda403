// A row id as the database holds it (serial, int4): anything else is "no such row", never a 500
// from PostgreSQL's "value out of range for type integer".
export const isRowId = (n: number): boolean => Number.isSafeInteger(n) && n > 0 && n < 2 ** 31;
