// Configuration: parsed once from the environment into a typed, frozen object.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The project's root folder (where package.json is). */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Config {
  /** HTTP port. Default 3000. */
  readonly port: number;
  /** Folder for the embedded databases. Default `.flock` in the working directory. */
  readonly dataDir: string;
  /** PostgreSQL server to use instead of the embedded PGlite database. Default: none. */
  readonly databaseUrl: string | undefined;
  /** Seed the demo group and demo sign-ins on first start. Default: on for the embedded database, off with DATABASE_URL. */
  readonly demo: boolean;
  /** Where the published NHS open data lives. Default `../shared/data` beside the project. */
  readonly sharedDataDir: string;
  /** Mark cookies Secure (serve behind HTTPS). Default: off in demo mode, on otherwise. */
  readonly secureCookies: boolean;
  /** pino log level. Default `info`. */
  readonly logLevel: string;
  /** Behind one reverse proxy: take the client's address from the last X-Forwarded-For entry. Default off. */
  readonly trustProxy: boolean;
}

const booleanText = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  FLOCK_DATA_DIR: z.string().min(1).default('.flock'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  FLOCK_DEMO: booleanText.optional(),
  FLOCK_SHARED_DATA: z.string().min(1).optional(),
  FLOCK_SECURE_COOKIES: booleanText.optional(),
  FLOCK_TRUST_PROXY: booleanText.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** The NHS open data folder: FLOCK_SHARED_DATA, else ../shared/data beside the project. */
export function sharedDataPath(
  env: { FLOCK_SHARED_DATA?: string | undefined } = process.env,
  cwd = process.cwd(),
): string {
  return path.resolve(cwd, env.FLOCK_SHARED_DATA || path.join(projectRoot, '../shared/data'));
}

/** Reads the configuration from environment variables; throws a readable error on bad values. */
export function loadConfig(
  environment: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): Config {
  const parsed = environmentSchema.safeParse(
    Object.fromEntries(Object.entries(environment).filter(([, v]) => v !== '')),
  );
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration: ${problems.join('; ')}`);
  }
  const env = parsed.data;
  const demo = env.FLOCK_DEMO ?? env.DATABASE_URL === undefined;
  return Object.freeze({
    port: env.PORT,
    dataDir: path.resolve(cwd, env.FLOCK_DATA_DIR),
    databaseUrl: env.DATABASE_URL,
    demo,
    sharedDataDir: sharedDataPath(env, cwd),
    secureCookies: env.FLOCK_SECURE_COOKIES ?? !demo,
    logLevel: env.LOG_LEVEL,
    trustProxy: env.FLOCK_TRUST_PROXY ?? false,
  });
}
