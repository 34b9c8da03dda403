import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  it('defaults to the embedded database in demo mode on port 3000', () => {
    const config = loadConfig({}, '/srv/flock');
    expect(config).toMatchObject({
      port: 3000,
      dataDir: '/srv/flock/.flock',
      databaseUrl: undefined,
      demo: true,
      secureCookies: false,
      trustProxy: false,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });
  it('turns demo accounts off with a server database unless asked for', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://db/flock' }).demo).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://db/flock', FLOCK_DEMO: 'true' }).demo).toBe(true);
    expect(loadConfig({ DATABASE_URL: 'postgres://db/flock' }).secureCookies).toBe(true);
  });
  it('explains bad values', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(
      /DATABASE_URL: must start with postgres/,
    );
  });
});
