/**
 * Output folders tell the truth: a run into a folder an earlier run used removes the files that run
 * wrote and this one did not, and manifest.json lists exactly the files of the folder.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { RUN_OUTPUTS } from '../../src/pipeline/mobility-run.js';

const dir = mkdtempSync(join(tmpdir(), 'mobiseg-out-'));
const city = join(dir, 'city');

beforeAll(async () => {
  expect((await runCli('simulate', '--city', 'tiny', '--out', city, '--quiet')).code).toBe(0);
});

/** Every file under `folder`, as paths relative to it. */
function filesIn(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(folder.length + 1))
    .sort();
}

const manifestOutputs = (out: string) => (JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).outputs as string[]).slice().sort();

describe('reusing --out', () => {
  it('a run from pairs after a run from visits leaves no places.csv, communities*.csv, county.csv or comparison.csv behind', async () => {
    const out = join(dir, 'out');
    const first = await runCli('run', '--persons', join(city, 'persons.csv'), '--visits', join(city, 'visits.csv'), '--places', join(city, 'places.csv'), '--out', out, '--bootstrap', '0', '--threads', '1', '--quiet');
    expect(first.code, first.stderr).toBe(0);
    expect(filesIn(out)).toEqual(['communities-summary.csv', 'communities.csv', 'comparison.csv', 'county.csv', 'manifest.json', 'msa.csv', 'person-stats.arrow', 'places.csv', 'report.html']);
    expect(manifestOutputs(out)).toEqual(filesIn(out));
    // persons with an MSA only (no county, no home tract) and pair encounters (no places)
    const persons = join(dir, 'persons.csv');
    writeFileSync(persons, 'person_id,ses,msa\n' + Array.from({ length: 30 }, (_, i) => `${i + 1},${i + 5},"A, XX"`).join('\n') + '\n');
    const pairs = join(dir, 'pairs.csv');
    writeFileSync(pairs, 'person_a,person_b\n' + Array.from({ length: 60 }, (_, k) => `${(k % 30) + 1},${((k * 7 + 3) % 30) + 1}`).filter((r) => r.split(',')[0] !== r.split(',')[1]).join('\n') + '\n');
    const second = await runCli('run', '--persons', persons, '--encounters', pairs, '--out', out, '--bootstrap', '0', '--threads', '1', '--quiet');
    expect(second.code, second.stderr).toBe(0);
    expect(filesIn(out)).toEqual(['manifest.json', 'msa.csv', 'person-stats.arrow', 'report.html']);
    expect(manifestOutputs(out)).toEqual(filesIn(out));
    // files that are not the run's own stay
    writeFileSync(join(out, 'notes.txt'), 'mine');
    expect((await runCli('run', '--persons', persons, '--encounters', pairs, '--out', out, '--bootstrap', '0', '--threads', '1', '--quiet')).code).toBe(0);
    expect(filesIn(out)).toEqual(['manifest.json', 'msa.csv', 'notes.txt', 'person-stats.arrow', 'report.html']);
  });

  it('the bundled city\'s files are outputs too: listed in the manifest, and removed by a later run from input files', async () => {
    const out = join(dir, 'bundled');
    const bundled = await runCli('run', '--out', out, '--bootstrap', '0', '--threads', '1', '--quiet');
    expect(bundled.code, bundled.stderr).toBe(0);
    expect(manifestOutputs(out)).toEqual(filesIn(out));
    expect(filesIn(out)).toEqual(expect.arrayContaining(['city/city.json', 'city/persons.arrow', 'city/places.arrow', 'city/visits.arrow']));
    const after = await runCli('run', '--persons', join(city, 'persons.csv'), '--visits', join(city, 'visits.csv'), '--out', out, '--bootstrap', '0', '--threads', '1', '--quiet');
    expect(after.code, after.stderr).toBe(0);
    expect(filesIn(out).some((f) => f.startsWith('city'))).toBe(false);
    expect(readdirSync(out)).not.toContain('city');
    expect(manifestOutputs(out)).toEqual(filesIn(out));
    expect(filesIn(out).every((f) => RUN_OUTPUTS.includes(f))).toBe(true);
  }, 120_000);
});
