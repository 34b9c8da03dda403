// Users and their roles: creating, granting, revoking, disabling — each audited.
import { z } from 'zod';
import type { OrganisationType } from '../../organisations/organisation.table.js';
import { audit, type Actor } from '../audit/audit.service.js';
import { systemClock, type Clock } from '../clock.js';
import type { Db } from '../db/schema.js';
import { AppError } from '../errors.js';
import { hashPassword, MIN_PASSWORD_LENGTH } from './password.js';
import {
  deleteRoleGrant,
  deleteUserSessions,
  findUserByEmail,
  insertRoleGrant,
  insertUser,
  setUserDisabled,
  setUserPasswordHash,
} from './user.repository.js';
import { roles, type Role } from './user.table.js';

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(
    z.email({ message: 'Enter an email address in the correct format, like name@example.nhs.uk' }),
  );

export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Password must be ${MIN_PASSWORD_LENGTH} characters or more`);

export const roleSchema = z.enum(roles, { message: `Role must be one of: ${roles.join(', ')}` });

function invalid(error: z.ZodError): never {
  throw new AppError(
    'invalid_input',
    error.issues.map((i) => i.message).join('; '),
    error.issues.map((i) => ({ field: String(i.path[0] ?? ''), message: i.message })),
  );
}

export async function createUser(
  db: Db,
  actor: Actor,
  input: { email: string; displayName: string; password: string; isDemo?: boolean },
  clock: Clock = systemClock,
) {
  const parsed = z
    .object({
      email: emailSchema,
      displayName: z.string().trim().min(1, 'Enter a name'),
      password: passwordSchema,
    })
    .safeParse(input);
  if (!parsed.success) invalid(parsed.error);
  const { email, displayName, password } = parsed.data;
  if (await findUserByEmail(db, email))
    throw new AppError('conflict', `A user with email ${email} already exists`);
  const user = await insertUser(db, {
    email,
    displayName,
    passwordHash: await hashPassword(password),
    isDemo: input.isDemo ?? false,
    createdAt: clock(),
  });
  await audit(
    db,
    actor,
    {
      action: 'user.created',
      entityType: 'user',
      entityId: String(user.id),
      after: { email, displayName, isDemo: input.isDemo ?? false },
    },
    clock,
  );
  return user;
}

async function resolveOrganisation(db: Db, code: string, type: OrganisationType | undefined) {
  let q = db
    .selectFrom('organisation')
    .select(['id', 'code', 'type', 'name'])
    .where('code', '=', code.toUpperCase());
  if (type) q = q.where('type', '=', type);
  const found = await q.execute();
  if (found.length === 0)
    throw new AppError(
      'not_found',
      `No organisation with code ${code}${type ? ` of type ${type}` : ''}`,
    );
  if (found.length > 1) {
    throw new AppError(
      'invalid_input',
      `Code ${code} names several organisations (${found.map((o) => o.type).join(', ')}); say which type`,
    );
  }
  return found[0]!;
}

async function requireUser(db: Db, email: string) {
  const user = await findUserByEmail(db, email);
  if (!user) throw new AppError('not_found', `No user with email ${email}`);
  return user;
}

export async function grantRole(
  db: Db,
  actor: Actor,
  input: {
    userId?: number;
    email?: string;
    role: Role;
    organisationCode: string;
    organisationType?: OrganisationType;
  },
  clock: Clock = systemClock,
) {
  const role = roleSchema.safeParse(input.role);
  if (!role.success) invalid(role.error);
  const userId = input.userId ?? (await requireUser(db, input.email ?? '')).id;
  const organisation = await resolveOrganisation(
    db,
    input.organisationCode,
    input.organisationType,
  );
  const added = await insertRoleGrant(db, {
    userId,
    role: role.data,
    organisationId: organisation.id,
    grantedAt: clock(),
  });
  if (added) {
    await audit(
      db,
      actor,
      {
        action: 'role.granted',
        entityType: 'user',
        entityId: String(userId),
        organisationId: organisation.id,
        after: { role: role.data, organisation: organisation.code },
      },
      clock,
    );
  }
  return { added, organisation };
}

export async function revokeRole(
  db: Db,
  actor: Actor,
  input: {
    email: string;
    role: Role;
    organisationCode: string;
    organisationType?: OrganisationType;
  },
  clock: Clock = systemClock,
) {
  const user = await requireUser(db, input.email);
  const organisation = await resolveOrganisation(
    db,
    input.organisationCode,
    input.organisationType,
  );
  const removed = await deleteRoleGrant(db, user.id, input.role, organisation.id);
  if (removed.length) {
    await audit(
      db,
      actor,
      {
        action: 'role.revoked',
        entityType: 'user',
        entityId: String(user.id),
        organisationId: organisation.id,
        before: { role: input.role, organisation: organisation.code },
      },
      clock,
    );
  }
  return removed.length > 0;
}

/** Disables a user and ends their sessions; they can no longer sign in. */
export async function disableUser(db: Db, actor: Actor, email: string, clock: Clock = systemClock) {
  const user = await requireUser(db, email);
  if (user.disabled_at) return false;
  const at = clock();
  await setUserDisabled(db, user.id, at);
  await deleteUserSessions(db, user.id);
  await audit(
    db,
    actor,
    {
      action: 'user.disabled',
      entityType: 'user',
      entityId: String(user.id),
      before: { disabled: false },
      after: { disabled: true },
    },
    clock,
  );
  return true;
}

export async function setPassword(
  db: Db,
  actor: Actor,
  email: string,
  password: string,
  clock: Clock = systemClock,
) {
  const parsed = passwordSchema.safeParse(password);
  if (!parsed.success) invalid(parsed.error);
  const user = await requireUser(db, email);
  await setUserPasswordHash(db, user.id, await hashPassword(password));
  await deleteUserSessions(db, user.id);
  await audit(
    db,
    actor,
    { action: 'user.password_set', entityType: 'user', entityId: String(user.id) },
    clock,
  );
}
