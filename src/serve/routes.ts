/**
 * The planner server's routes. Pages and assets:
 *   GET  /                          the page (web/index.html)
 *   GET  /assets/<file>             web/<file>
 *   GET  /data/<k>/<file>           a file of the k-th allowed data folder (as a download, sandboxed)
 * The API (JSON in and out; bodies must be Content-Type application/json):
 *   GET  /api/cities                bundled cities and the data sets of the allowed folders
 *   GET  /api/scenarios             the bundled scenarios, as written
 *   GET  /api/schema                JSON Schema of one intervention (for the page's form)
 *   POST /api/validate              a scenario -> 200 {scenario} resolved, or 400 {errors: [{path, message}]}
 *   POST /api/places                {base, seed} -> the base's places for the map
 *   POST /api/jobs                  a scenario -> 202 the queued run; 409 while this client has one
 *   GET  /api/jobs/<id>             a run's state and progress
 *   POST /api/jobs/<id>/cancel      cancel it (only the client that started it)
 *   GET  /api/jobs/<id>/result      the finished run's table rows and charts
 *   GET  /api/jobs/<id>/scenario.json   the resolved scenario that ran (a download)
 *   GET  /api/jobs/<id>/files/<name>    one of the run's files (scenario.csv, report.html, ...)
 */
import { readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { z } from 'zod';
import { packageRoot } from '../io/bundled-data.js';
import { interventionSchema } from '../scenarios/interventions.js';
import { SCENARIO_OUTPUTS } from '../scenarios/scenario-file.js';
import { bundledCities, bundledScenarios, dataSets } from './catalogue.js';
import type { PlacesService } from './city-places.js';
import { HttpError, readJsonBody, send, sendJson } from './http.js';
import type { Job, JobQueue } from './job-queue.js';
import { fileInside } from './safe-path.js';
import { scenarioFromRequest } from './scenario-request.js';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** the client's remote address (one run at a time per client) */
  client: string;
  dataDirs: readonly string[];
  jobs: JobQueue;
  bodyLimit: number;
  places: PlacesService;
}

type Handler = (ctx: RouteContext, params: string[]) => Promise<void> | void;

export interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  handler: Handler;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

const contentType = (file: string) => CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';

export function webRoot(): string {
  return join(packageRoot(), 'web');
}

/** A download's file name: letters, digits, dot, dash, underscore. */
function attachment(name: string): Record<string, string> {
  return { 'Content-Disposition': `attachment; filename="${name.replace(/[^A-Za-z0-9._-]+/g, '_') || 'download'}"` };
}

let interventionJsonSchema: unknown;

/** The JSON Schema of one intervention (input side: before defaults), or null where zod cannot express it. */
function interventionSchemaJson(): unknown {
  if (interventionJsonSchema === undefined) {
    try {
      interventionJsonSchema = z.toJSONSchema(interventionSchema, { io: 'input', unrepresentable: 'any' });
    } catch {
      interventionJsonSchema = null;
    }
  }
  return interventionJsonSchema;
}

function jobOf(ctx: RouteContext, id: string): Job {
  const job = ctx.jobs.get(id);
  if (!job) throw new HttpError(404, `no run ${id} (runs are kept while the server runs, the last 20 finished ones)`);
  return job;
}

function doneJob(ctx: RouteContext, id: string): Job {
  const job = jobOf(ctx, id);
  if (job.state !== 'done' || !job.result) throw new HttpError(409, `run ${id} is ${job.state}, not done`, { state: job.state });
  return job;
}

const ID = '([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})';

export const ROUTES: Route[] = [
  { method: 'GET', pattern: /^\/$/, handler: (ctx) => send(ctx.res, 200, readFileSync(join(webRoot(), 'index.html')), CONTENT_TYPES['.html']) },
  {
    method: 'GET',
    pattern: /^\/assets\/(.+)$/,
    handler: (ctx, [rest]) => {
      const file = fileInside(webRoot(), rest);
      send(ctx.res, 200, readFileSync(file), contentType(file));
    },
  },
  {
    method: 'GET',
    pattern: /^\/data\/(\d+)\/(.+)$/,
    handler: (ctx, [k, rest]) => {
      const root = ctx.dataDirs[Number(k)];
      if (root === undefined) throw new HttpError(404, `no data folder ${k}`);
      const file = fileInside(root, rest);
      // never shown as a page of this origin: a data folder's HTML or script must not run here
      send(ctx.res, 200, readFileSync(file), 'application/octet-stream', { ...attachment(file.split(/[/\\]/).pop()!), 'Content-Security-Policy': "sandbox; default-src 'none'" });
    },
  },
  { method: 'GET', pattern: /^\/api\/cities$/, handler: (ctx) => sendJson(ctx.res, 200, { cities: [...bundledCities(), ...dataSets(ctx.dataDirs)], dataFolders: ctx.dataDirs }) },
  { method: 'GET', pattern: /^\/api\/scenarios$/, handler: (ctx) => sendJson(ctx.res, 200, { scenarios: bundledScenarios() }) },
  { method: 'GET', pattern: /^\/api\/schema$/, handler: (ctx) => sendJson(ctx.res, 200, { intervention: interventionSchemaJson(), outputs: SCENARIO_OUTPUTS }) },
  {
    method: 'POST',
    pattern: /^\/api\/validate$/,
    handler: async (ctx) => sendJson(ctx.res, 200, { scenario: scenarioFromRequest(await readJsonBody(ctx.req, ctx.bodyLimit), ctx.dataDirs) }),
  },
  {
    method: 'POST',
    pattern: /^\/api\/places$/,
    handler: async (ctx) => {
      const body = await readJsonBody(ctx.req, ctx.bodyLimit);
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'expected {"base": ..., "seed": ...}');
      const { base, seed } = body as { base?: unknown; seed?: unknown };
      // the base and seed are checked as a scenario's (same schema, same allowed folders)
      const scenario = scenarioFromRequest({ name: 'map', base, interventions: [], seeds: [seed ?? 1] }, ctx.dataDirs);
      sendJson(ctx.res, 200, await ctx.places.get(scenario));
    },
  },
  {
    method: 'POST',
    pattern: /^\/api\/jobs$/,
    handler: async (ctx) => {
      const scenario = scenarioFromRequest(await readJsonBody(ctx.req, ctx.bodyLimit), ctx.dataDirs);
      const job = ctx.jobs.submit(ctx.client, scenario);
      sendJson(ctx.res, 202, ctx.jobs.status(job), { Location: `/api/jobs/${job.id}` });
    },
  },
  { method: 'GET', pattern: new RegExp(`^/api/jobs/${ID}$`), handler: (ctx, [id]) => sendJson(ctx.res, 200, ctx.jobs.status(jobOf(ctx, id))) },
  { method: 'POST', pattern: new RegExp(`^/api/jobs/${ID}/cancel$`), handler: (ctx, [id]) => sendJson(ctx.res, 200, ctx.jobs.status(ctx.jobs.cancel(id, ctx.client))) },
  {
    method: 'GET',
    pattern: new RegExp(`^/api/jobs/${ID}/result$`),
    handler: (ctx, [id]) => {
      const job = doneJob(ctx, id);
      sendJson(ctx.res, 200, { ...ctx.jobs.status(job), scenario: job.scenario, ...job.result });
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/api/jobs/${ID}/scenario\\.json$`),
    handler: (ctx, [id]) => {
      const job = jobOf(ctx, id);
      send(ctx.res, 200, `${JSON.stringify(job.scenario, null, 2)}\n`, CONTENT_TYPES['.json'], attachment(`${job.scenario.name}.json`));
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/api/jobs/${ID}/files/([A-Za-z0-9._-]+)$`),
    handler: (ctx, [id, name]) => {
      const job = doneJob(ctx, id);
      if (!job.outputs.includes(name)) throw new HttpError(404, `run ${id} has no file ${name} (it has ${job.outputs.join(', ')})`);
      const file = fileInside(job.outDir, name);
      send(ctx.res, 200, readFileSync(file), contentType(file), name.endsWith('.html') ? {} : attachment(name));
    },
  },
];
