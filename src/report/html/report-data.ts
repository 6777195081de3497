/**
 * What report.html is drawn from: the tables of one output folder (each absent when the folder lacks
 * it), its manifest, and the published MSAs the charts compare with. Read by the pipeline
 * (src/pipeline/report-run.ts); the renderer only reads these in-memory values.
 */
import type { SmallTable } from '../../io/small-table.js';

/** The published MSAs (Nilforoshan et al. 2023) with their 2017 populations (NaN where unknown). */
export interface PublishedMsas {
  readonly names: readonly string[];
  readonly es: Float64Array;
  readonly bi: Float64Array;
  readonly population: Float64Array;
  /** the population column's name and year, for captions (e.g. "pop_2017") */
  readonly populationColumn: string;
}

/** A manifest.json as parsed (any command's: run, scenario; fields read defensively). */
export type ManifestJson = Record<string, unknown>;

export interface ReportData {
  readonly msa?: SmallTable;
  readonly county?: SmallTable;
  readonly comparison?: SmallTable;
  /** calibration.csv: the folder is a `mobiseg calibrate` run (simulated MSAs against published) */
  readonly calibration?: SmallTable;
  readonly scenario?: SmallTable;
  readonly scenarioPlaces?: SmallTable;
  readonly manifest?: ManifestJson;
  readonly published: PublishedMsas;
}

/** One chart of the report: its heading, a plain-words note, the caption and the Vega-Lite specs. */
export interface ReportFigure {
  /** stable id: the figure's anchor and the prefix of its SVG ids */
  readonly id: string;
  readonly heading: string;
  readonly note: string;
  readonly caption: string;
  /** the chart's Vega-Lite specs: one, or one per panel when panels need their own map projection */
  readonly specs: readonly import('vega-lite').TopLevelSpec[];
}
