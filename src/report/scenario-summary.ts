/** The readable result of `mobiseg scenario`: what was changed, and ES and BI before and after per area. */
import { join } from 'node:path';
import { summariseAreas, type ScenarioResult } from '../scenarios/run-scenario.js';
import { fixed, formatTextTable } from './text-table.js';

/** A signed change with its seed interval: "-0.012 [-0.020, -0.004]". */
function change(d: [number, number, number]): string {
  if (!Number.isFinite(d[1])) return '-';
  const sign = (x: number) => (x > 0 ? '+' : '') + fixed(x);
  return `${sign(d[1])} [${sign(d[0])}, ${sign(d[2])}]`;
}

/** Seeds in which the counterfactual fit of an area is on the boundary. */
function boundarySeeds(r: ScenarioResult, level: string, area: string): number {
  const id = `${level}\t${area}`;
  return r.perSeed.filter((s) => s.counterfactual.get(id)?.get('boundary_fit') === 1).length;
}

export function scenarioSummaryText(r: ScenarioResult, written: { outDir: string; outputs: string[]; seconds: number }): string {
  const s = r.scenario;
  const seeds = r.seeds.length;
  const out: string[] = [];
  out.push(`mobiseg scenario "${s.name}" on ${r.base}, ${seeds} seed${seeds === 1 ? '' : 's'}`);
  if (s.description) out.push(s.description);
  s.interventions.forEach((step, j) => {
    const totals = new Map<string, number>();
    for (const p of r.perSeed) for (const [k, v] of Object.entries(p.counts[j] ?? {})) totals.set(k, (totals.get(k) ?? 0) + v);
    const what = [...totals].map(([k, v]) => `${k.replace(/_/g, ' ')} ${Math.round((10 * v) / seeds) / 10}`).join(', ');
    out.push(`  ${j + 1}. ${step.type}${what ? ` (per seed, on average: ${what})` : ''}`);
  });
  out.push('');
  const rows = summariseAreas(r);
  let boundaryNote = false;
  for (const level of ['msa', 'county'] as const) {
    const areas = r.areas.filter((a) => a.level === level);
    if (areas.length === 0 || (level === 'county' && areas.length > 40)) continue;
    const pick = (area: string, m: string) => rows.find((x) => x.key.level === level && x.key.area === area && x.measure === m)!;
    out.push(
      `${level === 'msa' ? 'By MSA of home' : 'By county of home'}: ES (0 = integrated, 1 = segregated) and BI before and after, medians over seeds; the change with its 95% seed interval:`,
    );
    const table = areas.map((a) => {
      const es = pick(a.area, 'es');
      const naive = pick(a.area, 'es_naive');
      const bi = pick(a.area, 'bi');
      const boundary = boundarySeeds(r, level, a.area);
      if (boundary > 0) boundaryNote = true;
      return [
        level === 'msa' ? a.area : `${a.area} ${a.name}`.trim(),
        fixed(es.baseline[1]),
        fixed(es.counterfactual[1]) + (boundary > 0 ? `*${boundary}` : ''),
        change(es.delta),
        change(naive.delta),
        fixed(bi.baseline[1]),
        fixed(bi.counterfactual[1]),
        change(bi.delta),
      ];
    });
    out.push(formatTextTable([level, 'ES before', 'ES after', 'ES change [95%]', 'naive ES change', 'BI before', 'BI after', 'BI change [95%]'], table));
    out.push('');
  }
  if (boundaryNote) {
    out.push('*k: the counterfactual fit is on the boundary tau^2 = 0 in k seeds, where ES = 1 by definition (SPEC section 3)');
    out.push('    however small the slope: no person-level variation is left beyond own SES; read the naive ES change there.');
  }
  out.push('An interval that excludes 0 means the change has the same sign in at least 97.5% of the seeds.');
  out.push(`wrote ${written.outputs.map((f) => join(written.outDir, f)).join(', ')} in ${written.seconds} s`);
  return out.join('\n') + '\n';
}
