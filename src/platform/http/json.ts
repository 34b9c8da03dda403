// JSON responses: bigint (pence) becomes an exact JSON integer.
import type { Context } from 'hono';

export function jsonReplacer(_key: string, value: unknown) {
  if (typeof value === 'bigint') {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER))
      return value.toString();
    return Number(value);
  }
  return value;
}

export function sendJson(c: Context, body: unknown, status: 200 | 201 = 200) {
  return c.body(JSON.stringify(body, jsonReplacer), status, {
    'content-type': 'application/json; charset=utf-8',
  });
}

export function sendCsv(c: Context, fileName: string, csv: string) {
  return c.body(csv, 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
  });
}
