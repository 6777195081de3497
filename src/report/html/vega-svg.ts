/**
 * Vega-Lite specs to SVG strings, headless in Node: vega-lite compiles the declarative spec to a Vega
 * spec, and a vega View with no renderer draws it to an SVG string (no browser, no canvas).
 *
 * Vega numbers the ids of clip paths and gradients with process-wide counters, so the same chart drawn
 * twice in one process gets other ids, and two charts on one page could share one. Every id is
 * therefore renamed to `<prefix>-<k>` in order of appearance: the same spec gives the same bytes, and
 * charts with distinct prefixes never collide. Each data mark also gets its description as an SVG
 * <title>, the hover tooltip of a page without script.
 */
import { View, parse } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** The report's chart style: readable sizes, quiet grids, one font stack with the page. */
export const CHART_FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

const CHART_CONFIG = {
  font: CHART_FONT,
  background: 'white',
  padding: 8,
  view: { stroke: '#d9d9d9' },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', titleColor: '#333', labelColor: '#333', gridColor: '#ececec', domainColor: '#999', tickColor: '#999' },
  legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', titleColor: '#333', labelColor: '#333', labelLimit: 0, titleLimit: 0 },
  title: { fontSize: 13, fontWeight: 'bold', anchor: 'start', color: '#222', subtitleFontSize: 11, subtitleColor: '#555' },
  header: { labelFontSize: 12, titleFontSize: 12 },
} as const;

/** Vega and Vega-Lite warnings go here (by default nowhere: the report must not print). */
export type WarningSink = (message: string) => void;

/** Rename every id of an SVG (and its url(#id) and href="#id" references) to `<prefix>-<k>`. */
export function localiseSvgIds(svg: string, prefix: string): string {
  const renamed = new Map<string, string>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) if (!renamed.has(m[1])) renamed.set(m[1], `${prefix}-${renamed.size + 1}`);
  if (renamed.size === 0) return svg;
  return svg
    .replace(/(\sid=")([^"]+)(")/g, (all, a: string, id: string, b: string) => (renamed.has(id) ? a + renamed.get(id)! + b : all))
    .replace(/url\(#([^)]+)\)/g, (all, id: string) => (renamed.has(id) ? `url(#${renamed.get(id)!})` : all))
    .replace(/(href=")#([^"]+)(")/g, (all, a: string, id: string, b: string) => (renamed.has(id) ? `${a}#${renamed.get(id)!}${b}` : all));
}

/**
 * A hover tooltip for every data mark, without script: vega writes each mark's description (the
 * charts' `description` encoding) as aria-label; the same text as an SVG <title> child is what browsers show on hover.
 */
export function withHoverTitles(svg: string): string {
  return svg.replace(/<path aria-label="([^"]*)" role="graphics-symbol"([^>]*)\/>/g, '<path aria-label="$1" role="graphics-symbol"$2><title>$1</title></path>');
}

function logger(sink: WarningSink) {
  const warn = (...args: unknown[]) => sink(args.map(String).join(' '));
  let level = 0;
  const self = {
    level(l?: number) {
      if (l === undefined) return level;
      level = l;
      return self;
    },
    error: warn,
    warn,
    info: () => self,
    debug: () => self,
  };
  return self;
}

/** Draw a Vega-Lite spec as an SVG string whose ids start with `idPrefix`. */
export async function vegaLiteSvg(spec: TopLevelSpec, idPrefix: string, onWarning: WarningSink = () => {}): Promise<string> {
  const log = logger(onWarning);
  const compiled = compile({ ...spec, config: { ...CHART_CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec, { logger: log as never }).spec;
  const view = new View(parse(compiled), { renderer: 'none', logger: log as never, logLevel: 2 });
  try {
    return withHoverTitles(localiseSvgIds(await view.toSVG(), idPrefix));
  } finally {
    view.finalize();
  }
}
