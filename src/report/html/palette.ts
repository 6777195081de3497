/** Colours of the report: this run's marks stand out, published reference marks recede in grey. */
export const RUN_COLOUR = '#1f5fa6';
export const PUBLISHED_COLOUR = '#c4c4c4';
export const FIT_COLOUR = '#d1495b';
export const PUBLISHED_FIT_COLOUR = '#777777';
/** Interval excluding zero / including zero (forest plot). */
export const CLEAR_COLOUR = '#1f5fa6';
export const UNCLEAR_COLOUR = '#9a9a9a';
/** At most this many areas get their names written beside their dots. */
export const MAX_LABELLED = 6;
