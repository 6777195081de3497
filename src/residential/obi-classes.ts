/**
 * The Othering & Belonging Institute's neighbourhood classes ("Roots of Structural Racism", 2021,
 * technical appendix), as SPEC section 7 fixes them:
 *  - integrated: divergence in the bottom third, entropy in the top half, and at least 20% Black and/or
 *    Latino (read as: Black share + Latino share >= 0.20);
 *  - highly segregated white: divergence in the top third, majority white (white share > 0.5) and white
 *    location quotient above 1.25;
 *  - highly segregated community of colour: the rest of the top third of divergence;
 *  - low-medium segregation: everything else.
 * Thirds and halves are percentile ranks across the units of the run (local.ts `percentileRanks`): bottom
 * third = rank <= 100/3, top third = rank > 200/3, top half = rank > 50.
 */
import { percentileRanks } from './local.js';

/** The four class labels, from least to most segregated. */
export const OBI_CLASSES = ['integrated', 'low-medium segregation', 'highly segregated community of color', 'highly segregated white'] as const;
export type ObiClass = (typeof OBI_CLASSES)[number];

export interface ObiInputs {
  /** local divergence D_i per unit */
  divergence: ArrayLike<number>;
  /** local entropy E_i per unit */
  entropy: ArrayLike<number>;
  /** shares of the unit's population (0..1) */
  shareWhite: ArrayLike<number>;
  shareBlack: ArrayLike<number>;
  shareLatino: ArrayLike<number>;
  /** location quotient of the white group per unit */
  lqWhite: ArrayLike<number>;
}

/**
 * OBI class of each unit (null for a unit without divergence, e.g. empty), from the rule above. Ranks
 * are taken over the units with a finite divergence (entropy: finite entropy).
 */
export function obiClasses(input: ObiInputs): Array<ObiClass | null> {
  const dRank = percentileRanks(input.divergence);
  const eRank = percentileRanks(input.entropy);
  const out: Array<ObiClass | null> = [];
  for (let i = 0; i < input.divergence.length; i++) {
    if (!Number.isFinite(dRank[i])) {
      out.push(null);
      continue;
    }
    const blackLatino = input.shareBlack[i] + input.shareLatino[i];
    if (dRank[i] <= 100 / 3 && eRank[i] > 50 && blackLatino >= 0.2) out.push('integrated');
    else if (dRank[i] > 200 / 3) {
      out.push(input.shareWhite[i] > 0.5 && input.lqWhite[i] > 1.25 ? 'highly segregated white' : 'highly segregated community of color');
    } else out.push('low-medium segregation');
  }
  return out;
}
