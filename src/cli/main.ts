#!/usr/bin/env node
/**
 * The `mobiseg` command. Each sub-command lives in ./commands/<name>.ts and registers itself on the
 * program; errors are printed to stderr and mapped to exit codes (2: bad input or usage, 3: an output
 * the system refused to write, 1: bug).
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { commands } from './commands/index.js';
import { InputError, OutputError, UsageError } from '../io/errors.js';
import { VERSION } from '../version.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('mobiseg')
    .description('Exposure segregation and bridging on person-place mobility graphs (Nilforoshan et al., Nature 2023).')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage and an example)')
    .addHelpText(
      'after',
      '\nExamples:\n  mobiseg run --out output    # the main job on the bundled synthetic city (20,000 persons, 2 MSAs, 6 counties)\n' +
        '  mobiseg simulate --out city && mobiseg run --persons city/persons.csv --visits city/visits.csv --places city/places.csv --out output\n' +
        '\nExit codes: 0 done, 2 bad input or usage, 3 an output that could not be written (disk full, permissions), 1 a bug.\n',
    )
    // before the sub-commands are added, so they inherit it: errors and --help come back to main()
    .exitOverride();
  for (const register of commands) register(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof InputError || e instanceof UsageError || e instanceof OutputError) {
      process.stderr.write(`mobiseg: ${e.message}\n`);
      return e.exitCode;
    }
    process.stderr.write(`mobiseg: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}

function invokedDirectly(): boolean {
  if (process.argv[1] === undefined) return false;
  try {
    return realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}
/**
 * A reader that stops early (`mobiseg run | head`, a pager quit) closes stdout: the command still
 * finishes and writes its output folder, and what it would have printed is dropped, instead of the
 * process dying on an unhandled EPIPE mid-run. Any other stdout error is still raised.
 */
function dropStdoutOnceClosed(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') return;
    throw e;
  });
}

if (invokedDirectly()) {
  dropStdoutOnceClosed();
  main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
