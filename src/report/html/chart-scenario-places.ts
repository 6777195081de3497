/**
 * A map of a scenario's places (scenario-places.csv at lat/lon): dot area by counterfactual visits,
 * colour by the change in cross-SES co-presences (a low-SES person with a high-SES partner, by the BI
 * median split) on a diverging scale centred on zero (red: lost, blue: gained). Places a scenario added
 * (hubs) are diamonds. With 2 to MAX_MAP_PANELS MSAs, one map per MSA (areas far apart would otherwise
 * shrink each to a smudge), each its own drawing with the same colour and size scales, the legends on
 * the last; otherwise one map.
 */
import type { TopLevelSpec } from 'vega-lite';
import { leftOut, POINTS_LAYER } from './chart-data.js';
import type { ReportFigure } from './report-data.js';
import type { PlaceRow } from './scenario-rows.js';
import { dotMapFrame } from './map-projection.js';
import { count, signed } from './format.js';

export const MAX_MAP_PANELS = 6;

interface PlacePoint {
  place: string;
  category: string;
  msa: string;
  lat: number;
  lon: number;
  visits: number;
  change: number;
  kind: string;
  tip: string;
}

const EXISTING = 'existing place';
const ADDED = 'added by the scenario';

function mapPanel(name: string, rows: PlacePoint[], scales: { change: [number, number]; visits: [number, number] }, size: { width: number; height: number }, legends: boolean, title?: string): TopLevelSpec {
  const frame = dotMapFrame(rows.map((r) => r.lon), rows.map((r) => r.lat));
  const legend = (l: object) => (legends ? l : null);
  return {
    ...(title ? { title } : {}),
    ...size,
    projection: frame.projection,
    layer: [
      frame.graticule,
      {
        name,
        data: { values: rows },
        mark: { type: 'point', filled: true, opacity: 0.85, stroke: '#444', strokeWidth: 0.4 },
        encoding: {
          longitude: { field: 'lon', type: 'quantitative' },
          latitude: { field: 'lat', type: 'quantitative' },
          size: { field: 'visits', type: 'quantitative', title: 'visits (scenario)', scale: { domain: scales.visits, range: [8, 500] }, legend: legend({ tickCount: 4 }) },
          color: { field: 'change', type: 'quantitative', title: 'change in cross-income encounters', scale: { scheme: 'redblue', domain: scales.change }, legend: legend({}) },
          shape: { field: 'kind', type: 'nominal', title: null, scale: { domain: [EXISTING, ADDED], range: ['circle', 'diamond'] }, legend: legend({}) },
          order: { field: 'visits', sort: 'descending' },
          description: { field: 'tip' },
        },
      },
    ],
  } as TopLevelSpec;
}

export function scenarioPlacesFigure(places: readonly PlaceRow[]): ReportFigure | null {
  const rows: PlacePoint[] = places
    .filter((p) => Number.isFinite(p.lat) && Number.isFinite(p.lon) && Number.isFinite(p.counterfactualVisits) && Number.isFinite(p.crossChange))
    .map((p) => ({ place: p.placeId, category: p.category, msa: p.msa, lat: p.lat, lon: p.lon, visits: p.counterfactualVisits, change: p.crossChange, kind: p.hub ? ADDED : EXISTING, tip: `${p.placeId} (${p.category}${p.hub ? ', added' : ''}; ${p.msa}): ${count(p.counterfactualVisits)} visits, cross-income encounters ${signed(p.crossChange, 1)}` }));
  if (rows.length === 0) return null;
  const extent = Math.max(...rows.map((r) => Math.abs(r.change))) || 1;
  const scales = { change: [-extent, extent] as [number, number], visits: [0, Math.max(...rows.map((r) => r.visits)) || 1] as [number, number] };
  const msas = [...new Set(rows.map((r) => r.msa))].sort();
  const perMsa = msas.length >= 2 && msas.length <= MAX_MAP_PANELS;
  // one drawing per MSA: vega-lite would give concatenated maps one shared projection
  const specs = perMsa
    ? msas.map((m, k) => mapPanel(`${POINTS_LAYER}scenario_places_${k + 1}`, rows.filter((r) => r.msa === m), scales, { width: 300, height: 260 }, k === msas.length - 1, m || '(no MSA)'))
    : [mapPanel(`${POINTS_LAYER}scenario_places`, rows, scales, { width: 600, height: 420 }, true)];
  const hubs = rows.filter((r) => r.kind === ADDED).length;
  return {
    id: 'scenario-places',
    heading: 'Scenario: where cross-income encounters are gained and lost',
    note: `Each dot is a place, drawn where it is${perMsa ? ', one map per metro area' : ''}; the bigger the dot, the more visits it gets under the scenario. Blue places gain encounters between lower-income and higher-income people under the scenario, red places lose them, pale places change little. Diamonds are places the scenario added.`,
    caption: `${rows.length} places (scenario-places.csv; ${hubs} added by the scenario)${perMsa ? ` in ${msas.length} MSAs` : ''}. Area: counterfactual visits; colour: cross_change, the change in co-presences of a low-SES person with a high-SES partner (means over seeds), from red (lost) through white (none) to blue (gained). Mercator projection; grey lines: a graticule of round degrees.${leftOut(places.length, rows.length, 'place')}`,
    specs,
  };
}
