/**
 * The run manifest (SPEC section 10): inputs with sizes and SHA-256 hashes, options, seeds, version,
 * rows read and dropped by reason, timings. Written atomically as manifest.json.
 */
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { VERSION } from '../version.js';
import { writeFileAtomic } from '../io/atomic.js';

export interface InputRecord {
  role: string;
  path: string;
  bytes: number;
  sha256: string;
  rowsRead: number;
  dropped: Record<string, number>;
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 22 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function describeInput(role: string, path: string, rowsRead: number, dropped: Record<string, number>): Promise<InputRecord> {
  return { role, path, bytes: statSync(path).size, sha256: await sha256File(path), rowsRead, dropped };
}

/** Wall-clock timings of named steps, in seconds. */
export class StepTimer {
  private readonly t0 = performance.now();
  private last = this.t0;
  readonly steps: Record<string, number> = {};
  mark(step: string): void {
    const now = performance.now();
    this.steps[step] = Math.round(now - this.last) / 1000;
    this.last = now;
  }
  /** Steps timed elsewhere (they end now). */
  record(steps: Record<string, number>): void {
    Object.assign(this.steps, steps);
    this.last = performance.now();
  }
  total(): number {
    return Math.round(performance.now() - this.t0) / 1000;
  }
}

export interface Manifest {
  tool: 'mobiseg';
  version: string;
  command: string;
  created: string;
  node: string;
  inputs: InputRecord[];
  options: Record<string, unknown>;
  seeds: Record<string, unknown>;
  counts: Record<string, number>;
  dropped: Record<string, Record<string, number>>;
  /** the warnings printed on stderr (suspicious but valid input, counties left unsmoothed), one string each */
  warnings?: string[];
  timings: Record<string, number>;
  outputs: string[];
  /** the resolved scenario (`mobiseg scenario`) */
  scenario?: unknown;
}

/** The manifest of a command, stamped with the tool, its version, Node's version and the time now. */
export function buildManifest(m: Omit<Manifest, 'tool' | 'version' | 'node' | 'created'>): Manifest {
  return { tool: 'mobiseg', version: VERSION, node: process.version, created: new Date().toISOString(), ...m };
}

export function writeManifest(path: string, manifest: Manifest): void {
  writeFileAtomic(path, JSON.stringify(manifest, null, 2) + '\n');
}
