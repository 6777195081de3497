/**
 * The README's command examples work as written: every ```sh block is extracted, and each `mobiseg ...`
 * command in it is run in order (in-process, main() of src/cli/main.ts) in a scratch folder that holds
 * the bundled data/ and sims/ and placeholder input files with the names the examples use. Every other
 * command must be in NOT_RUN with its reason, so nothing is skipped silently: a new example either runs
 * here or is listed.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { csvFields } from '../helpers/csv-line.js';

const root = process.cwd();
const work = mkdtempSync(join(tmpdir(), 'mobiseg-readme-'));

/** Commands of the README's sh blocks that this test does not run, and why. */
const NOT_RUN: Record<string, string> = {
  'npm ci': 'installs the packages: .ci/run runs it',
  'npm start': 'the build and `mobiseg run --out output`: .ci/run runs it (and the same run is an example below)',
  'npm test': 'the fast suite: .ci/run runs it',
  'npm run test:slow': 'this suite: .ci/run runs it',
  'npm run test:browser': 'the browser suite: .ci/run runs it',
  'apt-get install -y chromium': 'a system package: .ci/run installs it where the browser suite needs it',
  'bash .ci/run': 'CI itself',
  'node --import tsx bench/ingest.ts': 'a benchmark of several minutes, not an example of use',
  'mobiseg serve': 'a server that runs until Ctrl-C: test/cli/serve.test.ts starts it, loads the page and stops it with SIGINT',
  'mobiseg calibrate --out calibration': 'the 382-MSA sweep (about 95 s, 7 GB): test/slow/calibration.test.ts runs this command (with --json --quiet)',
  'mobiseg calibrate --fit --every 8 --evaluations 48 --out fit': 'the search that fitted the default city (about 40 minutes): test/pipeline/calibration-fit.test.ts runs a small one, and the example after it runs here',
};

/** The commands of the README's ```sh blocks, in order: continuation lines joined, comments dropped, && split. */
export function readmeCommands(markdown: string): string[] {
  const commands: string[] = [];
  for (const m of markdown.matchAll(/```sh\n([\s\S]*?)```/g)) {
    const lines = m[1].replace(/\\\n\s*/g, ' ').split('\n');
    for (const line of lines) {
      const code = stripComment(line).trim();
      if (code === '') continue;
      for (const part of code.split('&&')) commands.push(part.trim());
    }
  }
  return commands;
}

/** A line without its shell comment (a # at the start of a word, outside quotes). */
function stripComment(line: string): string {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"') quoted = !quoted;
    if (!quoted && line[i] === '#' && (i === 0 || /\s/.test(line[i - 1]))) return line.slice(0, i);
  }
  return line;
}

/** Shell words: whitespace-separated, with double quotes grouping. */
function words(command: string): string[] {
  return [...command.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
}

const commands = readmeCommands(readFileSync(join(root, 'README.md'), 'utf8'));
const runnable = commands.filter((c) => c.startsWith('mobiseg ') && NOT_RUN[c] === undefined);

beforeAll(async () => {
  symlinkSync(join(root, 'data'), join(work, 'data'));
  symlinkSync(join(root, 'sims'), join(work, 'sims'));
  // placeholder inputs under the names the examples use, from the tiny synthetic city
  const csv = join(work, 'placeholder-csv');
  const parquet = join(work, 'placeholder-parquet');
  const arrow = join(work, 'placeholder-arrow');
  for (const [out, format] of [[csv, 'csv'], [parquet, 'parquet'], [arrow, 'arrow']] as const) {
    const r = await runCli('simulate', '--city', 'tiny', '--out', out, '--format', format, '--quiet');
    expect(r.code, r.stderr).toBe(0);
  }
  // persons.csv also serves `residential --persons persons.csv --col home_tract=GEOID`: a GEOID column
  const persons = readFileSync(join(csv, 'persons.csv'), 'utf8').trimEnd().split('\n');
  const tract = persons[0].split(',').indexOf('home_tract');
  writeFileSync(join(work, 'persons.csv'), persons.map((l, i) => `${l},${i === 0 ? 'GEOID' : csvFields(l)[tract]}`).join('\n') + '\n');
  copyFileSync(join(parquet, 'visits.parquet'), join(work, 'visits.parquet'));
  copyFileSync(join(csv, 'places.csv'), join(work, 'places.csv'));
  copyFileSync(join(arrow, 'persons.arrow'), join(work, 'persons.arrow'));
  // pairs between tiny-city persons (ids 1..450): each with the next and the one seven on
  const pairs = ['person_a,person_b'];
  for (let i = 1; i <= 450; i++) pairs.push(`${i},${(i % 450) + 1}`, `${i},${((i + 6) % 450) + 1}`);
  writeFileSync(join(work, 'pairs.csv.gz'), gzipSync(pairs.join('\n') + '\n'));
  // "a run on real data": the published tables stand in for a run's msa.csv and county.csv
  mkdirSync(join(work, 'my-run'));
  copyFileSync(join(root, 'data/published/exposure-segregation-msa.csv'), join(work, 'my-run', 'msa.csv'));
  copyFileSync(join(root, 'data/published/exposure-segregation-county.csv'), join(work, 'my-run', 'county.csv'));
  process.chdir(work);
}, 120_000);

afterAll(() => process.chdir(root));

describe('the README command examples', () => {
  it('are found, and every command that is not run is listed with its reason', () => {
    expect(runnable.length).toBeGreaterThan(15);
    const notRun = commands.filter((c) => !runnable.includes(c));
    for (const c of notRun) expect(NOT_RUN[c], `a README command that is neither run nor listed in NOT_RUN: ${c}`).toBeDefined();
    // every listed reason still refers to a README command
    for (const c of Object.keys(NOT_RUN)) expect(commands, `NOT_RUN lists a command the README no longer has: ${c}`).toContain(c);
  });

  for (const command of runnable) {
    it(command, async () => {
      const r = await runCli(...words(command).slice(1));
      expect(r.stderr).not.toMatch(/internal error/);
      expect(r.code, r.stderr).toBe(0);
      if (command.includes('--json') && !command.includes('--out')) expect(() => JSON.parse(r.stdout)).not.toThrow();
    }, 300_000);
  }
});
