/**
 * `mobiseg serve`: the planner page on localhost (src/serve). Prints the address, serves until Ctrl-C
 * (or SIGTERM), then stops cleanly: no new requests, the running run cancelled, the runs' temporary
 * folders removed, exit code 0. A second Ctrl-C while stopping ends the process at once.
 */
import type { Command } from 'commander';
import { defaultThreads } from '../../pipeline/mobility-run.js';
import { isLoopbackHost, startPlannerServer } from '../../serve/server.js';
import { parseNumberOption, RANGES } from '../options.js';

interface ServeCliOptions {
  port: string;
  host: string;
  data: string[];
  threads?: string;
  quiet?: boolean;
}

const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/** Resolves on the first of the stop signals; a second one ends the process as the signal would. */
function stopRequested(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const first = (signal: NodeJS.Signals) => {
      for (const s of STOP_SIGNALS) process.off(s, first);
      const again = (s: NodeJS.Signals) => {
        process.stderr.write(`mobiseg serve: ${s} again: stopping at once\n`);
        process.exit(128 + (s === 'SIGINT' ? 2 : 15));
      };
      for (const s of STOP_SIGNALS) process.once(s, again);
      resolve(signal);
    };
    for (const s of STOP_SIGNALS) process.on(s, first);
  });
}

export function register(program: Command): void {
  program
    .command('serve')
    .description('The planner page: pick a city and a bundled scenario, change it (shares, categories, seeds, a hub placed on the map), run it and see the before/after table, forest plot and places map, in a browser on this machine')
    .option('--port <n>', 'port to listen on (0: any free port)', '8080')
    .option('--host <address>', 'address to bind; the default serves this machine only', '127.0.0.1')
    .option('--data <dir>', "a folder whose runs' inputs (persons, visits, places tables) the page may use; repeatable", (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--threads <n>', 'worker threads per run (results do not depend on it)')
    .option('--quiet', 'print only the address')
    .addHelpText(
      'after',
      '\nExamples:\n  mobiseg serve                       # then open http://127.0.0.1:8080/\n' +
        '  mobiseg simulate --city tiny --out runs/tiny && mobiseg serve --data runs --port 8081\n' +
        '\nSecurity: the server binds 127.0.0.1 (this machine only) unless --host says otherwise, answers only requests\n' +
        'addressed to localhost while it does, and reads no file outside the package and the --data folders.\n',
    )
    .action(async (opts: ServeCliOptions) => {
      const port = parseNumberOption('--port', opts.port, { integer: true, min: 0, max: 65_535 });
      const threads = opts.threads === undefined ? defaultThreads() : parseNumberOption('--threads', opts.threads, RANGES.threads);
      const log = opts.quiet ? undefined : (line: string) => void process.stderr.write(`mobiseg serve: ${line}\n`);
      const server = await startPlannerServer({ port, host: opts.host, dataDirs: opts.data, threads, log });
      const stop = stopRequested();
      process.stdout.write(`mobiseg planner on ${server.url} (Ctrl-C stops it)\n`);
      if (!opts.quiet) {
        if (server.dataDirs.length > 0) process.stdout.write(`data folders: ${server.dataDirs.join(', ')}\n`);
        if (!isLoopbackHost(opts.host)) process.stdout.write(`warning: listening on ${opts.host}: anyone who can reach this machine can run scenarios and read the data folders\n`);
      }
      const signal = await stop;
      log?.(`${signal}: stopping`);
      await server.close();
      if (!opts.quiet) process.stdout.write('mobiseg planner stopped\n');
    });
}
