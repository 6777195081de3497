/**
 * County values on a dot map: one dot per county at the centroid used for smoothing (county.csv's
 * centroid_lon, centroid_lat: the bundled Census centroid, or the residents' mean home), coloured by
 * the smoothed ES (SPEC section 6) when county.csv has it, else by the raw ES. Mercator projection
 * fitted to the dots; no base map (the page must not load tiles).
 */
import type { TopLevelSpec } from 'vega-lite';
import { finiteRows, leftOut, numbersOrNull, textOrNull, POINTS_LAYER, type ChartRow } from './chart-data.js';
import type { ReportData, ReportFigure } from './report-data.js';
import { dotMapFrame } from './map-projection.js';
import { fixed } from './format.js';

/** Dot area (px^2) for n dots: large for a few counties, small for a nation of them. */
function dotSize(n: number): number {
  return n <= 50 ? 180 : n <= 500 ? 50 : 14;
}

export function countyMapFigure(data: ReportData): ReportFigure | null {
  const lon = numbersOrNull(data.county, 'centroid_lon');
  const lat = numbersOrNull(data.county, 'centroid_lat');
  const smoothed = numbersOrNull(data.county, 'exposure_segregation_smoothed');
  const raw = numbersOrNull(data.county, 'exposure_segregation');
  const useSmoothed = smoothed !== null && smoothed.some(Number.isFinite);
  const value = useSmoothed ? smoothed : raw;
  if (!lon || !lat || !value) return null;
  const fips = textOrNull(data.county, 'fips_code') ?? Array.from(lon, () => '');
  const names = textOrNull(data.county, 'county_name') ?? fips;
  const measure = useSmoothed ? 'smoothed ES' : 'ES';
  const rows = finiteRows(lon.length, { lon, lat, value }, { fips, name: names.map((n, k) => n || fips[k]) }).map((r): ChartRow => ({ ...r, tip: `${r.name}${r.name === r.fips ? '' : ` (${r.fips})`}: ${measure} ${fixed(r.value as number)}` }));
  if (rows.length === 0) return null;
  const position = { longitude: { field: 'lon', type: 'quantitative' }, latitude: { field: 'lat', type: 'quantitative' } } as const;
  const frame = dotMapFrame(rows.map((r) => r.lon as number), rows.map((r) => r.lat as number));
  const layers: object[] = [
    frame.graticule,
    {
      data: { values: rows },
      name: `${POINTS_LAYER}county_map`,
      mark: { type: 'circle', size: dotSize(rows.length), opacity: 0.9, stroke: '#555', strokeWidth: 0.5 },
      encoding: {
        ...position,
        color: { field: 'value', type: 'quantitative', title: measure, scale: { scheme: 'viridis', reverse: true, nice: true }, legend: { orient: 'right', gradientLength: 200 } },
        description: { field: 'tip' },
      },
    },
  ];
  return {
    id: 'county-map',
    heading: 'Counties on a map',
    note: `Each dot is a county, placed at its centre; darker dots mark counties whose residents' encounters are more segregated by income. ${useSmoothed ? 'The colour is the smoothed ES: half the county\'s own estimate and half the average of its five nearest counties, the published rule that steadies small counties whose own estimate is noisy.' : 'The colour is the county\'s own ES estimate (county.csv has no smoothed value).'}`,
    caption: `${rows.length} counties, coloured by ${measure} (county.csv column ${useSmoothed ? 'exposure_segregation_smoothed' : 'exposure_segregation'}), at the centroids used for smoothing (centroid_lon, centroid_lat), Mercator projection; grey lines: a graticule of round degrees.${leftOut(lon.length, rows.length, 'county', 'counties')}`,
    specs: [{ width: 600, height: 380, projection: frame.projection, layer: layers } as TopLevelSpec],
  };
}
