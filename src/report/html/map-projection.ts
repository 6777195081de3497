/**
 * The frame of the report's dot maps: a Mercator projection fitted to the dots' bounding box widened by
 * 8% of its larger side (at least 0.05 degrees) so that no dot sits on the frame, and a graticule of
 * round degrees over that box for orientation. No base map is drawn (the page must not load tiles or
 * shapes from anywhere; the graticule is computed by vega).
 */

/** A round step (1, 2 or 5 times a power of ten) giving about `lines` lines over `extent`. */
export function roundStep(extent: number, lines = 5): number {
  const raw = extent / lines;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
}

export interface DotMapFrame {
  readonly projection: object;
  /** a layer of graticule lines, to draw first */
  readonly graticule: object;
}

export function dotMapFrame(lon: readonly number[], lat: readonly number[]): DotMapFrame {
  const span = Math.max(Math.max(...lon) - Math.min(...lon), Math.max(...lat) - Math.min(...lat));
  const pad = Math.max(0.05, 0.08 * span);
  const box = [
    [Math.min(...lon) - pad, Math.min(...lat) - pad],
    [Math.max(...lon) + pad, Math.max(...lat) + pad],
  ];
  const step = roundStep(span + 2 * pad);
  const outer = box.map(([x, y], k) => [k === 0 ? Math.floor(x / step) * step : Math.ceil(x / step) * step, k === 0 ? Math.floor(y / step) * step : Math.ceil(y / step) * step]);
  return {
    projection: { type: 'mercator', fit: { type: 'Feature', properties: {}, geometry: { type: 'MultiPoint', coordinates: box } } },
    graticule: { name: 'graticule', data: { graticule: { extent: outer, step: [step, step] } }, mark: { type: 'geoshape', filled: false, stroke: '#e4e4e4', strokeWidth: 0.8, clip: true } },
  };
}
