// Row type of the append-only audit log.
import type { Generated } from 'kysely';

export interface AuditEventTable {
  id: Generated<string>;
  occurred_at: Date;
  actor_user_id: number | null;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  organisation_id: number | null;
  before_state: unknown;
  after_state: unknown;
  client_address: string | null;
}
