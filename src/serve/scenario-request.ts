/**
 * A scenario sent by the page, checked as `mobiseg scenario` checks a file (the same zod schema, every
 * default filled in) and then against what the server may read: a city is a bundled one by name, or a
 * city spec file inside an allowed data folder; data files must lie inside an allowed data folder (links
 * followed), so a request cannot make the server read any other file. Relative paths are relative to
 * the first data folder. Every problem comes back with its JSON path.
 */
import { join } from 'node:path';
import { resolveSimsPath, packageRoot } from '../io/bundled-data.js';
import { formatJsonPath } from '../io/json-spec.js';
import { parseScenario, scenarioSchema, type Scenario } from '../scenarios/scenario-file.js';
import { bundledCityNames } from './catalogue.js';
import { HttpError } from './http.js';
import { isInside, realOrSelf } from './safe-path.js';

export interface ScenarioProblem {
  /** JSON path in the scenario, e.g. interventions[0].share, or "(top level)" */
  path: string;
  message: string;
}

/** At most this many problems are listed (a wrong type at the top can make hundreds). */
const MAX_PROBLEMS = 50;

function invalid(problems: ScenarioProblem[]): HttpError {
  return new HttpError(400, `invalid scenario: ${problems.length} problem${problems.length === 1 ? '' : 's'}`, { errors: problems.slice(0, MAX_PROBLEMS) });
}

/** A validated scenario with its paths resolved, or an HttpError 400 listing every problem. */
export function scenarioFromRequest(value: unknown, dataDirs: readonly string[]): Scenario {
  const checked = scenarioSchema.safeParse(value);
  if (!checked.success) throw invalid(checked.error.issues.map((i) => ({ path: formatJsonPath(i.path), message: i.message })));
  const scenario = parseScenario(value, 'scenario', dataDirs[0] ?? packageRoot());
  const problems = baseProblems(scenario.base, dataDirs);
  if (problems.length > 0) throw invalid(problems);
  return scenario;
}

/** `dataDirs` are absolute with their links followed (as the server keeps them); so is the file, before the check. */
function insideDataFolder(path: string, dataDirs: readonly string[]): boolean {
  const real = realOrSelf(path);
  return dataDirs.some((d) => isInside(d, real));
}

/** What the server refuses in a base: unknown cities, files outside the allowed folders. */
export function baseProblems(base: Scenario['base'], dataDirs: readonly string[]): ScenarioProblem[] {
  const folders = dataDirs.length > 0 ? `the allowed data folders (${dataDirs.join(', ')})` : 'an allowed data folder, and the server was started without --data';
  if ('city' in base) {
    if (!base.city.endsWith('.json')) {
      const names = bundledCityNames();
      if (names.includes(base.city)) return [];
      return [{ path: 'base.city', message: `unknown city ${JSON.stringify(base.city)}: the bundled cities are ${names.map((n) => JSON.stringify(n)).join(', ')}` }];
    }
    const bundled = join(packageRoot(), 'sims', 'cities');
    const spec = resolveSimsPath('cities', base.city);
    if (isInside(realOrSelf(bundled), realOrSelf(spec)) || insideDataFolder(spec, dataDirs)) return [];
    return [{ path: 'base.city', message: `${base.city}: a city spec file must be a bundled city or lie in ${folders}` }];
  }
  const problems: ScenarioProblem[] = [];
  for (const key of ['persons', 'visits', 'places'] as const) {
    const file = base[key];
    if (file !== undefined && !insideDataFolder(file, dataDirs)) problems.push({ path: `base.${key}`, message: `${file}: data files must lie in ${folders}` });
  }
  return problems;
}
