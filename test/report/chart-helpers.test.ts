/** The small pieces of report.html: escaping, SVG ids, axis domains and ticks, the map graticule step. */
import { describe, it, expect } from 'vitest';
import { escapeHtml } from '../../src/report/html/escape.js';
import { localiseSvgIds, withHoverTitles } from '../../src/report/html/vega-svg.js';
import { finiteRows, logTicks, paddedDomain, paddedLogDomain } from '../../src/report/html/chart-data.js';
import { roundStep } from '../../src/report/html/map-projection.js';
import { signed, correlation } from '../../src/report/html/format.js';
import { tableOf } from './helpers.js';

describe('report.html pieces', () => {
  it('escapes the five characters that can end text or an attribute', () => {
    expect(escapeHtml(`<a href="x">Tom's & Jerry's</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;Tom&#39;s &amp; Jerry&#39;s&lt;/a&gt;');
    expect(escapeHtml('plain text, 0.5')).toBe('plain text, 0.5');
  });

  it('renames SVG ids and their references in order, leaving other text alone', () => {
    const svg = '<svg><defs><clipPath id="clip7"><rect/></clipPath><linearGradient id="gradient_3"/></defs><g clip-path="url(#clip7)"><path fill="url(#gradient_3)"/><use href="#clip7"/></g><text>url(#other)</text></svg>';
    expect(localiseSvgIds(svg, 'es-bi')).toBe(
      '<svg><defs><clipPath id="es-bi-1"><rect/></clipPath><linearGradient id="es-bi-2"/></defs><g clip-path="url(#es-bi-1)"><path fill="url(#es-bi-2)"/><use href="#es-bi-1"/></g><text>url(#other)</text></svg>',
    );
    expect(localiseSvgIds('<svg><path d="M0,0"/></svg>', 'x')).toBe('<svg><path d="M0,0"/></svg>');
  });

  it('gives every data mark its description as a hover title', () => {
    const svg = '<path aria-label="Akron, OH: ES 0.550" role="graphics-symbol" d="M1,0"/><path class="background" d="M0,0"/>';
    expect(withHoverTitles(svg)).toBe('<path aria-label="Akron, OH: ES 0.550" role="graphics-symbol" d="M1,0"><title>Akron, OH: ES 0.550</title></path><path class="background" d="M0,0"/>');
  });

  it('keeps only rows whose plotted numbers are all finite', () => {
    expect(finiteRows(4, { x: [1, NaN, 3, 4], y: [1, 2, Infinity, 4] }, { name: ['a', 'b', 'c', 'd'] })).toEqual([
      { x: 1, y: 1, name: 'a' },
      { x: 4, y: 4, name: 'd' },
    ]);
    const t = tableOf('t.csv', { a: [1, NaN, 'NA'] });
    expect(Array.from(t.numbers('a', { allowMissing: true }))).toEqual([1, NaN, NaN]);
  });

  it('widens a narrow axis to the least span, inside the bounds, and pads 6% each side', () => {
    // 0.44 and 0.46: widened to [0.35, 0.55], padded by 0.012
    const [lo, hi] = paddedDomain([0.44, 0.46], 0.2);
    expect(lo).toBeCloseTo(0.338, 12);
    expect(hi).toBeCloseTo(0.562, 12);
    // BI of 0.95 and 1: the window [0.875, 1.075] is moved back under 1 -> [0.8, 1], then padded
    const [blo, bhi] = paddedDomain([0.95, 1], 0.2, [0, 1]);
    expect(blo).toBeCloseTo(0.788, 12);
    expect(bhi).toBeCloseTo(1.012, 12);
    // a wide range is only padded
    const [wlo, whi] = paddedDomain([0.1, 0.6, NaN], 0.2, [0, 1]);
    expect(wlo).toBeCloseTo(0.07, 12);
    expect(whi).toBeCloseTo(0.63, 12);
    expect(paddedDomain([NaN], 0.2)).toEqual([0, 1]);
  });

  it('puts log ticks at 1, 2 and 5 times powers of ten inside the domain', () => {
    expect(logTicks([800, 60000])).toEqual([1000, 2000, 5000, 10000, 20000, 50000]);
    expect(paddedLogDomain([1000, 10000, -5, NaN])).toEqual([800, 12500]);
  });

  it('picks round graticule steps', () => {
    expect(roundStep(3.5)).toBe(1);
    expect(roundStep(0.2)).toBe(0.05);
    expect(roundStep(60)).toBe(20);
  });

  it('prints changes with their sign and correlations with a true minus', () => {
    expect(signed(0.0123)).toBe('+0.012');
    expect(signed(-0.5, 1)).toBe('\u22120.5');
    expect(signed(-0.0001)).toBe('0.000');
    expect(signed(NaN)).toBe('-');
    expect(correlation(-0.7871)).toBe('r = \u22120.79');
    expect(correlation(NaN, '\u03c1')).toBe('\u03c1 not defined');
  });
});
