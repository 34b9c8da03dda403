// Password hashing with argon2id (OWASP parameters: 19 MiB memory, 2 passes, 1 lane).
import { hash, verify } from '@node-rs/argon2';

// Algorithm is a const enum in the package's types, which isolated modules cannot import; 2 = Argon2id.
const ARGON2ID = 2;

export const MIN_PASSWORD_LENGTH = 12;

export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 });
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash of a random password, verified against when the email is unknown so timing does not reveal it. */
let decoyHash: Promise<string> | undefined;
export const decoyPasswordHash = () => (decoyHash ??= hashPassword(`decoy-${Math.random()}`));
