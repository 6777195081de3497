/**
 * Income inequality grows with city size: the dispersion of log wages and incomes is larger in larger
 * metropolitan areas (Glaeser, Resseger & Tobio 2009, "Inequality in cities", J. Regional Science 49;
 * Baum-Snow & Pavan 2013, "Inequality and city size", REStat 95). As a law for every MSA:
 *
 *   sd of log SES in an MSA of P persons = log_sd * (P / SES_SPREAD_REFERENCE_PERSONS)^elasticity,
 *
 * with the reference at 10,000 persons (the size at which the spec's log_sd holds, as for the choice
 * set in places.ts). elasticity 0 gives log_sd everywhere. In a `calibrate` sweep, P is the simulated
 * size, persons = smallest * (population / smallest population)^exponent, so the elasticity with
 * respect to the real population is elasticity * exponent.
 */

/** Persons of the MSA at which the log sd of SES is the spec's ses.log_sd. */
export const SES_SPREAD_REFERENCE_PERSONS = 10_000;

/** log_sd * (persons / 10,000)^elasticity: the sd of log SES of an MSA of `persons` persons. */
export function msaSesLogSd(logSd: number, persons: number, elasticity: number): number {
  return elasticity === 0 ? logSd : logSd * Math.pow(persons / SES_SPREAD_REFERENCE_PERSONS, elasticity);
}
