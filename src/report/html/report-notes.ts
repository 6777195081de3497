/** What each number of the report means, in plain words (the glossary at the end of report.html). */
import { escapeHtml } from './escape.js';
import type { ReportData } from './report-data.js';

interface Note {
  term: string;
  meaning: string;
}

const AREA_NOTES: Note[] = [
  {
    term: 'Exposure segregation (ES)',
    meaning:
      'How closely the income (SES) of the people a resident encounters follows the resident\'s own income, from 0 (whom you meet does not depend on your income) to 1 (fully determined by it). It is estimated with the random-intercept model of Nilforoshan et al. (2023), which corrects for people having only a limited number of encounters. An area with fewer than 10 persons or 100 encounter endpoints gets no value.',
  },
  { term: 'naive ES', meaning: 'The plain correlation between a person\'s income and the average income of the people they met. It is pulled toward 0 when people have few encounters, which is why ES corrects it.' },
  {
    term: 'Bridging index (BI)',
    meaning:
      'Split the area\'s residents at their median income. BI compares how often lower-income residents meet higher-income people with how often that would happen if all the area\'s encounters were mixed at random: 1 means as often as random mixing, 0.8 means 20% less often. Values above 1 are cut to 1.',
  },
  { term: 'ec (economic connectedness)', meaning: 'Chetty et al.\'s measure: twice the average share of higher-income people among a lower-income resident\'s encounters. 1 means lower-income residents meet higher-income people as often as their share of the population would give.' },
  {
    term: 'smoothed ES',
    meaning: 'For a county: half its own ES and half the average ES of its five nearest counties (by centre). This is the published rule; it steadies small counties whose own estimate is noisy.',
  },
  {
    term: 'ES 95% CI',
    meaning: 'The range the ES would fall in for 95% of re-drawn samples of the same people (a bootstrap: persons are drawn again with replacement and the model refitted). Empty when the run used --bootstrap 0.',
  },
  {
    term: 'residential indices (res_*)',
    meaning: 'Classic measures of how separated incomes are by home census tract: dissimilarity (the share of the lower half that would have to move for every tract to have the same mix), isolation, Theil H and divergence over income quartiles, and the sorting index (NSI).',
  },
  { term: 'Pearson r, Spearman ρ', meaning: 'Correlations across areas, from −1 to 1: Pearson for a straight-line relation, Spearman for the ranks only. With few areas they are close to ±1 by construction and say little.' },
];

const SCENARIO_NOTES: Note[] = [
  { term: 'baseline, scenario', meaning: 'The measure without and with the scenario\'s changes, each the median over the random seeds (the scenario moves visits at random, so each seed gives a slightly different answer).' },
  { term: 'change and its 95% interval over seeds', meaning: 'Scenario minus baseline: the median over seeds, and the range that 95% of the seeds fall in (the 2.5th to the 97.5th percentile). When that range excludes zero ("beyond noise"), the change is larger than the seed-to-seed noise of the simulation.' },
  { term: 'cross-income encounters', meaning: 'Co-presences of a lower-income person with a higher-income partner at a place (split at the median income, as for BI), averaged over seeds.' },
];

const CALIBRATION_NOTE: Note = {
  term: 'calibration',
  meaning: 'One simulated metro area per published one, with sizes scaled down, run through the same estimators. If the city\'s rules are right, the simulated areas show the published patterns: the median ES, larger areas more segregated, and more segregated areas bridging less.',
};

export function reportNotesHtml(data: ReportData): string {
  const notes = [...(data.msa || data.county ? AREA_NOTES : []), ...(data.scenario || data.scenarioPlaces ? SCENARIO_NOTES : []), ...(data.calibration ? [CALIBRATION_NOTE] : [])];
  return `<dl class="notes">${notes.map((n) => `<dt>${escapeHtml(n.term)}</dt><dd>${escapeHtml(n.meaning)}</dd>`).join('\n')}</dl>`;
}
