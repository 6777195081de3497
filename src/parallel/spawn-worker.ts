/**
 * Spawn a worker thread running a module that sits beside the caller: compiled, `<name>.js` next to the
 * caller's .js file; from TypeScript sources (vitest, tsx), `<name>.ts` through an eval'd bootstrap that
 * registers tsx's ESM loader inside the worker (tsx/esm/api `register`; Node 20 does not apply an
 * `--import tsx` given in a worker's execArgv) and then imports the module.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** A worker running `./<name>.js` (or `.ts` from sources) relative to `callerUrl` (the caller's import.meta.url). */
export function spawnModuleWorker(callerUrl: string, name: string, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, callerUrl), options);
  const moduleTs = new URL(`./${name}.ts`, callerUrl).href;
  const code = `import(${JSON.stringify(tsxEsmApiUrl(callerUrl))}).then((api) => { api.register(); return import(${JSON.stringify(moduleTs)}); });`;
  return new Worker(code, { ...options, eval: true });
}

/** File URL of tsx's public `tsx/esm/api` ESM entry (from its package.json exports map). */
function tsxEsmApiUrl(callerUrl: string): string {
  const require = createRequire(callerUrl);
  const pkgPath = require.resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return new URL(pkg.exports['./esm/api'].import.default, pathToFileURL(pkgPath)).href;
}
