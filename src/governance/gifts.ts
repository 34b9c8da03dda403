// Gifts and hospitality: the year's thresholds as versioned data (governance-rules/gifts-<version>.json)
// and what an offer requires, in exact pence. No I/O but reading the rule files.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { projectRoot } from '../app/config.js';
import { poundsToPence } from '../platform/money.js';

export const giftRulesDir = path.join(projectRoot, 'governance-rules');

const pounds = z
  .string()
  .regex(/^\d+(\.\d{1,2})?$/, 'an amount in pounds written as text, like "50"');
const thresholdsSchema = z
  .object({
    version: z.string().min(1),
    guidance: z.string().min(10),
    source: z.string().min(10),
    from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    supplierGiftMaxPounds: pounds,
    otherGiftDeclareFromPounds: pounds,
    hospitalityDeclareFromPounds: pounds,
    hospitalityApprovalAbovePounds: pounds,
  })
  .strict()
  .refine(
    (t) => Number(t.hospitalityDeclareFromPounds) <= Number(t.hospitalityApprovalAbovePounds),
    {
      message: 'hospitality must need declaring before it needs approval',
      path: ['hospitalityApprovalAbovePounds'],
    },
  );
export type GiftThresholds = z.infer<typeof thresholdsSchema>;

/** Every version's thresholds, oldest first; a bad file stops with its name and the problem. */
export function loadGiftThresholds(dir = giftRulesDir): GiftThresholds[] {
  return readdirSync(dir)
    .filter((f) => /^gifts-.*\.json$/.test(f))
    .map((file) => {
      const parsed = thresholdsSchema.safeParse(
        JSON.parse(readFileSync(path.join(dir, file), 'utf8')),
      );
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Error(
          `governance-rules/${file}: ${issue?.path.join('.') || '(file)'}: ${issue?.message}`,
        );
      }
      return parsed.data;
    })
    .sort((a, b) => a.from.localeCompare(b.from));
}

let cached: GiftThresholds[] | undefined;
export const giftThresholds = () => (cached ??= loadGiftThresholds());

/** The thresholds in force on a date: the latest version from on or before it (the oldest before any). */
export function thresholdsOn(date: string, all = giftThresholds()): GiftThresholds {
  return all.filter((t) => t.from <= date).at(-1) ?? all[0]!;
}

export interface Offer {
  kind: 'gift' | 'hospitality';
  fromSupplier: boolean;
  valuePence: bigint;
}

export interface Ruling {
  /** What may be done with the offer. */
  may: 'accept' | 'accept only on behalf of the organisation' | 'accept with approval' | 'decline';
  /** Must it be entered in the register (if accepted)? Offers declined are always entered. */
  declare: boolean;
  approvalNeeded: boolean;
  reason: string;
}

/** What an offer requires under the thresholds: the 2017 table in ../shared/reference/commissioning-rules.md §1.7. */
export function ruleOnOffer(offer: Offer, t: GiftThresholds): Ruling {
  const pence = (text: string) => poundsToPence(text);
  if (offer.kind === 'gift') {
    if (offer.fromSupplier)
      return offer.valuePence <= pence(t.supplierGiftMaxPounds)
        ? {
            may: 'accept',
            declare: false,
            approvalNeeded: false,
            reason: `A low-value item from a supplier (up to £${t.supplierGiftMaxPounds}) may be accepted`,
          }
        : {
            may: 'decline',
            declare: true,
            approvalNeeded: false,
            reason: `Gifts from suppliers or contractors over £${t.supplierGiftMaxPounds} are declined`,
          };
    return offer.valuePence < pence(t.otherGiftDeclareFromPounds)
      ? {
          may: 'accept',
          declare: false,
          approvalNeeded: false,
          reason: `A gift under £${t.otherGiftDeclareFromPounds} from another source may be accepted without declaring it`,
        }
      : {
          may: 'accept only on behalf of the organisation',
          declare: true,
          approvalNeeded: false,
          reason: `A gift of £${t.otherGiftDeclareFromPounds} or more may be accepted only on behalf of the organisation, not personally`,
        };
  }
  if (offer.valuePence < pence(t.hospitalityDeclareFromPounds))
    return {
      may: 'accept',
      declare: false,
      approvalNeeded: false,
      reason: `Hospitality under £${t.hospitalityDeclareFromPounds} needs no declaration`,
    };
  if (offer.valuePence <= pence(t.hospitalityApprovalAbovePounds))
    return {
      may: 'accept',
      declare: true,
      approvalNeeded: false,
      reason: `Hospitality of £${t.hospitalityDeclareFromPounds}–£${t.hospitalityApprovalAbovePounds} may be accepted and must be declared`,
    };
  return {
    may: 'accept with approval',
    declare: true,
    approvalNeeded: true,
    reason: `Hospitality over £${t.hospitalityApprovalAbovePounds} is refused unless senior approval is given`,
  };
}
