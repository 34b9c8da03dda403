// The OpenAPI paths of member practice votes and consultations (spread into src/platform/http/openapi.ts).
import { privateGet, publicGet } from '../platform/http/openapi-parts.js';

const idParameter = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'The vote’s number',
  schema: { type: 'integer', minimum: 1 },
};

export const votePaths = {
  '/api/v1/groups/{code}/public/votes': publicGet(
    'Results of closed member practice votes and consultations (no sign-in): the question, dates, counting (one practice one vote, or weighted by registered list size), turnout (practices voted of member practices, and the share of the list size), the totals for, against and abstaining (practices and, when weighted, registered patients) or the number of views, the result (carried when the votes for outnumber those against among the ballots cast; a tie is not carried), and the meeting decision it informed. Never a practice’s choice, comment, or who cast its ballot; nothing before the deadline',
    [],
    'Closed votes’ turnout and results',
  ),
  '/api/v1/groups/{code}/governance/votes': privateGet(
    'Every member practice vote and consultation (the group’s officers, governing body, lay members, oversight; not member practices): status, turnout, who has not voted and their nominated representatives, reminders sent, and — only from the deadline — each practice’s choice, the totals and the result; with the practices’ nominated representatives',
    [],
    'Votes',
  ),
  '/api/v1/groups/{code}/governance/votes/{id}': privateGet(
    'One vote as its officers see it (the same readers as the list); choices stay sealed until the deadline; 404 for a vote not in this group',
    [idParameter],
    'The vote',
  ),
  '/api/v1/groups/{code}/governance/practice-votes': privateGet(
    'What is open for the signed-in user’s practices (those they are the nominated representative of): open, upcoming and closed votes with the papers, deadline, and whether each of their practices has voted and its own ballot. Never other practices’ choices',
    [],
    'Votes for the user’s practices',
  ),
} as const;
