// Security middleware: response headers (CSP by script hash), the session, and CSRF checks on forms.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../app/config.js';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie, setCookie } from 'hono/cookie';
import type { SessionResolver } from '../auth/session.service.js';
import { AppError } from '../errors.js';
import type { AppEnv } from './http.types.js';

export const SESSION_COOKIE = 'flock_session';
export const CSRF_COOKIE = 'flock_csrf';

/**
 * CSP hashes of the inline scripts in the NHS.UK page template (it adds one line that marks the page
 * as having JavaScript). Hashes rather than a per-request nonce keep pages identical, so they can be cached.
 */
export function templateScriptHashes(): string[] {
  const template = readFileSync(
    path.join(projectRoot, 'node_modules/nhsuk-frontend/dist/nhsuk/template.njk'),
    'utf8',
  );
  return [...template.matchAll(/<script[^>]*>([^<]+)<\/script>/g)].map(
    (m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`,
  );
}

export function securityHeaders(): MiddlewareHandler<AppEnv> {
  const scriptSources = templateScriptHashes().join(' ');
  return async (c, next) => {
    await next();
    c.header(
      'Content-Security-Policy',
      `default-src 'self'; script-src 'self' ${scriptSources}; style-src 'self'; img-src 'self' data:; ` +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'",
    );
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'same-origin');
    c.header('X-Frame-Options', 'DENY');
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
    // Nothing a signed-in person sees may be kept by a browser or proxy cache; public pages may be
    // kept but are checked again each time (they change when data is imported).
    if (!c.res.headers.has('Cache-Control'))
      c.header('Cache-Control', c.get('principal') ? 'no-store' : 'no-cache');
  };
}

/** A write that did not come from a Flock form of this session. */
const formNotFromFlock = () =>
  new AppError(
    'csrf_failed',
    'This form has expired or did not come from Flock. Go back, reload the page and try again.',
  );

/** The largest request body a form may send, and the largest upload (a month's ledger, 20 MB). */
export const FORM_BODY_LIMIT = 256 * 1024;
export const UPLOAD_BODY_LIMIT = 21 * 1024 * 1024;

/**
 * Checks every request that changes something before its body is read: it must come from a Flock
 * page (Origin and Sec-Fetch-Site, where the browser sends them, name this site), carry the CSRF
 * cookie every Flock page sets, and be no larger than a form (or, on the upload routes, an upload).
 * A forged or oversized request is refused without its body being read.
 */
export function guardWrites({
  uploadPaths,
}: {
  /** Paths that accept a file upload, as patterns. */
  uploadPaths: readonly RegExp[];
}): MiddlewareHandler<AppEnv> {
  const refuse = () => {
    throw formNotFromFlock();
  };
  return async (c, next) => {
    if (['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) return next();
    const site = c.req.header('sec-fetch-site');
    if (site !== undefined && site !== 'same-origin' && site !== 'none') refuse();
    const origin = c.req.header('origin');
    if (origin !== undefined) {
      let host: string | undefined;
      try {
        host = new URL(origin).host;
      } catch {
        host = undefined;
      }
      if (!host || host !== (c.req.header('host') ?? new URL(c.req.url).host)) refuse();
    }
    if (!getCookie(c, CSRF_COOKIE)) refuse();
    const limit = uploadPaths.some((p) => p.test(c.req.path)) ? UPLOAD_BODY_LIMIT : FORM_BODY_LIMIT;
    const tooLarge = () => {
      throw new AppError(
        'too_large',
        `The request is larger than ${limit >= 1024 * 1024 ? `${Math.floor(limit / 1024 / 1024)} MB` : `${limit / 1024} KB`}: nothing was saved.`,
      );
    };
    // Refused on the declared length before reading, else as soon as the body passes the limit.
    return bodyLimit({ maxSize: limit, onError: tooLarge })(c, next);
  };
}

/** Reads the session cookie and sets `principal` (undefined when signed out). */
export function sessionMiddleware(
  sessions: SessionResolver,
  { trustProxy = false }: { trustProxy?: boolean } = {},
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    // Behind a trusted proxy the socket is the proxy's; the client is the last address it forwarded for.
    const forwarded = trustProxy
      ? c.req.header('x-forwarded-for')?.split(',').pop()?.trim()
      : undefined;
    const address = forwarded || (c.env?.incoming?.socket?.remoteAddress ?? null);
    c.set('clientAddress', address);
    const token = getCookie(c, SESSION_COOKIE);
    const principal = token ? await sessions.resolve(token) : undefined;
    c.set('principal', principal);
    c.set('sessionToken', principal ? token : undefined);
    await next();
  };
}

const sameToken = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Gives the browser a new CSRF secret (at first visit, and again at sign-in and sign-out). */
export function issueCsrfSecret(c: Context<AppEnv>, secureCookies: boolean): string {
  const secret = randomBytes(32).toString('base64url');
  setCookie(c, CSRF_COOKIE, secret, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: secureCookies,
    path: '/',
  });
  return secret;
}

/** The token a form must carry: the browser's secret bound to its session (or to being signed out). */
const formToken = (secret: string, sessionToken: string | undefined) =>
  createHmac('sha256', secret)
    .update(sessionToken ?? 'signed out')
    .digest('base64url');

/**
 * CSRF protection: every visitor gets a random secret in an HttpOnly, SameSite=Strict cookie; every
 * form carries a token made from it and the session (so a token is worth nothing in another session,
 * and the secret is replaced at sign-in); a form post without the matching token is refused.
 */
export function csrfProtection(secureCookies: boolean): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    let secret = getCookie(c, CSRF_COOKIE);
    if (!secret || !/^[A-Za-z0-9_-]{43}$/.test(secret)) secret = issueCsrfSecret(c, secureCookies);
    const expected = formToken(secret, c.get('sessionToken'));
    c.set('csrfToken', expected);
    if (!['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) {
      const contentType = c.req.header('content-type') ?? '';
      let form: Record<string, unknown> = {};
      if (/application\/x-www-form-urlencoded|multipart\/form-data/.test(contentType)) {
        try {
          form = await c.req.parseBody();
        } catch {
          throw new AppError(
            'invalid_input',
            'The form could not be read. Go back, reload the page and try again.',
          );
        }
      }
      const submitted =
        typeof form._csrf === 'string' ? form._csrf : (c.req.header('x-csrf-token') ?? '');
      if (!submitted || !sameToken(submitted, expected)) throw formNotFromFlock();
    }
    await next();
  };
}
