// Turns dated observations of "A belonged to B" into a history of non-overlapping dated relationships.
import type { RelationshipKind } from './organisation.table.js';

export interface Observation {
  parentId: number;
  kind: RelationshipKind;
  /** The date the source describes. */
  observedOn: string;
  /** When the source states when the relationship began (inclusive). */
  knownFrom: string | null;
  /** When the source states when it ended (exclusive: the first day it no longer held). */
  knownTo: string | null;
}

export interface DatedRelationship {
  parentId: number;
  kind: RelationshipKind;
  validFrom: string;
  /** Exclusive; null means it still holds (as far as the sources say). */
  validTo: string | null;
}

/** The day after an ISO date. */
export function nextDay(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** The day before an ISO date (an exclusive end shown as the last day). */
export function previousDay(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

const earliest = (a: string | null, b: string | null) =>
  a === null ? b : b === null ? a : a < b ? a : b;
const latest = (a: string | null, b: string | null) =>
  a === null ? b : b === null ? a : a > b ? a : b;

/**
 * Derives one child's history for one kind of relationship.
 * Observations are ordered by the date they speak for; consecutive ones naming the same parent form
 * one period, which runs until the next parent's period begins, until a stated end date, or until
 * the child closed. Conflicting sources are resolved in favour of the later-dated statement.
 */
export function deriveHistory(
  observations: readonly Observation[],
  childCloseDate: string | null,
): DatedRelationship[] {
  const byKind = new Map<RelationshipKind, Observation[]>();
  for (const o of observations) {
    const list = byKind.get(o.kind) ?? [];
    list.push(o);
    byKind.set(o.kind, list);
  }
  const closedFrom = childCloseDate === null ? null : nextDay(childCloseDate);
  const result: DatedRelationship[] = [];
  for (const [kind, list] of byKind) {
    const points = list
      .map((o) => ({ parentId: o.parentId, start: o.knownFrom ?? o.observedOn, end: o.knownTo }))
      .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.parentId - b.parentId));
    const runs: { parentId: number; start: string; statedEnd: string | null }[] = [];
    for (const p of points) {
      const current = runs[runs.length - 1];
      if (
        current &&
        current.parentId === p.parentId &&
        (current.statedEnd === null || current.statedEnd >= p.start)
      ) {
        // A statement without an end date does not contradict a stated end that is still to come.
        current.statedEnd = latest(current.statedEnd, p.end);
      } else {
        runs.push({ parentId: p.parentId, start: p.start, statedEnd: p.end });
      }
    }
    runs.forEach((run, i) => {
      const next = runs[i + 1];
      let end = earliest(run.statedEnd, next ? next.start : null);
      end = earliest(end, closedFrom);
      if (end !== null && end <= run.start) return;
      result.push({ parentId: run.parentId, kind, validFrom: run.start, validTo: end });
    });
  }
  return result;
}
