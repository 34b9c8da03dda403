// Recognising a unique-key violation (PostgreSQL error 23505), raised on both engines when two
// requests race to insert the same key: callers turn it into a clear 4xx, never a 500.
export const isUniqueViolation = (error: unknown): boolean =>
  (error as { code?: string } | null)?.code === '23505';
