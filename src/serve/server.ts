/**
 * `mobiseg serve`: the planner page's server on node:http. It binds 127.0.0.1 unless told otherwise,
 * and while it listens on a loopback address it answers only requests addressed to a loopback name
 * (Host: localhost, 127.x.x.x or [::1]), so a web page elsewhere cannot reach it through a DNS name
 * rebound to 127.0.0.1. Runs go through the job queue (job-queue.ts), each in its own folder below a
 * temporary work folder that `close()` removes.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { InputError, UsageError } from '../io/errors.js';
import { DEFAULT_BODY_LIMIT, HttpError, sendError } from './http.js';
import { JobQueue } from './job-queue.js';
import { PlacesService } from './city-places.js';
import { ROUTES, type RouteContext } from './routes.js';
import { realOrSelf } from './safe-path.js';

export interface PlannerServerOptions {
  /** 0: any free port */
  port: number;
  host: string;
  /** folders whose data sets the page may use and whose files it may serve */
  dataDirs: readonly string[];
  /** worker threads of each run */
  threads: number;
  bodyLimit?: number;
  /** one line per run started or ended, and per internal error */
  log?: (line: string) => void;
}

export interface PlannerServer {
  readonly url: string;
  readonly server: Server;
  readonly jobs: JobQueue;
  /** the allowed data folders, absolute with links followed */
  readonly dataDirs: readonly string[];
  /** Stop listening, cancel the runs, remove their folders. */
  close(): Promise<void>;
}

/** The --data folders, checked (a UsageError names a missing one) and made absolute with links followed. */
export function checkDataDirs(dirs: readonly string[]): string[] {
  return dirs.map((d) => {
    let isDir = false;
    try {
      isDir = statSync(d).isDirectory();
    } catch {
      throw new UsageError(`--data ${d}: no such folder`);
    }
    if (!isDir) throw new UsageError(`--data ${d} is not a folder`);
    return realOrSelf(resolve(d));
  });
}

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** The host of a Host header (without the port; IPv6 in brackets kept whole). */
function hostOfHeader(header: string): string {
  const m = /^(\[[^\]]*\]|[^:]*)(:\d+)?$/.exec(header.trim());
  return m ? m[1] : header;
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') reject(new UsageError(`--port ${port}: the port is in use on ${host} (pick another, or --port 0 for any free one)`));
      else if (e.code === 'EACCES') reject(new UsageError(`--port ${port}: no permission to listen on it (ports below 1024 need privileges)`));
      else if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND') reject(new UsageError(`--host ${host}: not an address of this machine`));
      else reject(e);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolvePromise();
    });
  });
}

export async function startPlannerServer(options: PlannerServerOptions): Promise<PlannerServer> {
  const dataDirs = checkDataDirs(options.dataDirs);
  const log = options.log ?? (() => {});
  const workDir = mkdtempSync(join(tmpdir(), 'mobiseg-serve-'));
  const jobs = new JobQueue({ workDir, threads: options.threads, log });
  const places = new PlacesService();
  const guardHost = isLoopbackHost(options.host);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      if (guardHost && !isLoopbackHost(hostOfHeader(req.headers.host ?? ''))) {
        throw new HttpError(403, `this server answers requests to localhost only (Host: ${JSON.stringify(req.headers.host ?? '')})`);
      }
      const url = new URL(req.url ?? '/', 'http://localhost');
      const matching = ROUTES.map((r) => ({ r, m: r.pattern.exec(url.pathname) })).filter((x) => x.m !== null);
      if (matching.length === 0) throw new HttpError(404, `no such page or API: ${url.pathname}`);
      const route = matching.find((x) => x.r.method === req.method);
      if (!route) {
        const allow = [...new Set(matching.map((x) => x.r.method))].join(', ');
        throw new HttpError(405, `${req.method} is not allowed on ${url.pathname} (allowed: ${allow})`, { allow }, { Allow: allow });
      }
      const ctx: RouteContext = { req, res, url, client: req.socket.remoteAddress ?? 'unknown', dataDirs, jobs, bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT, places };
      await route.r.handler(ctx, route.m!.slice(1));
    } catch (e) {
      if (e instanceof HttpError) sendError(res, e);
      else if (e instanceof InputError || e instanceof UsageError) sendError(res, new HttpError(400, e.message));
      else {
        log(`internal error on ${req.method} ${req.url}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        sendError(res, new HttpError(500, `internal error: ${e instanceof Error ? e.message : String(e)}`));
      }
    }
  }

  const server = createServer((req, res) => void handle(req, res));
  try {
    await listen(server, options.port, options.host);
  } catch (e) {
    rmSync(workDir, { recursive: true, force: true });
    throw e;
  }
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${urlHost(options.host)}:${port}/`,
    server,
    jobs,
    dataDirs,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((r) => server.close(() => r()));
        server.closeAllConnections();
        await Promise.all([jobs.close(), places.close()]);
        await stopped;
        rmSync(workDir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}
