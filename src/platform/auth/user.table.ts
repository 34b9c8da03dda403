// Row types of users, their role grants and their server-side sessions.
import type { Generated } from 'kysely';

export const roles = [
  'member',
  'clinical_lead',
  'governing_body',
  'lay_member',
  'finance',
  'contracts',
  'analyst',
  'admin',
  'oversight',
] as const;
export type Role = (typeof roles)[number];

export interface AppUserTable {
  id: Generated<number>;
  email: string;
  display_name: string;
  password_hash: string;
  is_demo: Generated<boolean>;
  created_at: Date;
  disabled_at: Date | null;
}

export interface RoleGrantTable {
  id: Generated<number>;
  user_id: number;
  role: Role;
  organisation_id: number;
  granted_at: Date;
}

export interface UserSessionTable {
  id_hash: string;
  user_id: number;
  created_at: Date;
  expires_at: Date;
  last_seen_at: Date;
}
