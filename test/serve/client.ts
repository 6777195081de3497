/**
 * Requests to the planner server exactly as written: node:http sends the path as given (fetch would
 * normalise `..` away before it left the client), from a chosen local address (127.0.0.2 is another
 * client of a server on 127.0.0.1), with any Host header and body.
 */
import { request } from 'node:http';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** the body parsed as JSON, or null */
  json: Record<string, unknown> | null;
}

export interface RequestOptions {
  method?: string;
  body?: string | Buffer | object;
  contentType?: string;
  headers?: Record<string, string>;
  localAddress?: string;
  /** send the body in chunks without a Content-Length */
  chunked?: boolean;
}

export function call(baseUrl: string, path: string, options: RequestOptions = {}): Promise<Answer> {
  const url = new URL(baseUrl);
  const body = options.body === undefined ? undefined : typeof options.body === 'string' || Buffer.isBuffer(options.body) ? options.body : JSON.stringify(options.body);
  const headers: Record<string, string> = { ...(body !== undefined ? { 'Content-Type': options.contentType ?? 'application/json' } : {}), ...options.headers };
  if (body !== undefined && !options.chunked) headers['Content-Length'] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method: options.method ?? (body === undefined ? 'GET' : 'POST'), headers, localAddress: options.localAddress }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: Record<string, unknown> | null = null;
        try {
          json = JSON.parse(text) as Record<string, unknown>;
        } catch {
          json = null;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    // a server that answers 413 and closes may cut a long upload short: the answer still counts
    req.on('error', reject);
    if (body !== undefined && options.chunked) {
      const b = Buffer.from(body);
      for (let at = 0; at < b.length; at += 16_384) req.write(b.subarray(at, at + 16_384));
      req.end();
    } else req.end(body);
  });
}

export interface JobStatusJson {
  id: string;
  state: string;
  ahead: number | null;
  message: string | null;
  progress: { seedsDone: number; seedsTotal: number };
  outputs: string[];
}

/** Poll a run until it is no longer queued or running (or `until` says stop). */
export async function waitForJob(baseUrl: string, id: string, until: (s: JobStatusJson) => boolean = (s) => s.state !== 'queued' && s.state !== 'running', timeoutMs = 240_000): Promise<JobStatusJson> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const a = await call(baseUrl, `/api/jobs/${id}`);
    if (a.status !== 200) throw new Error(`GET /api/jobs/${id}: ${a.status} ${a.text}`);
    const s = a.json as unknown as JobStatusJson;
    if (until(s)) return s;
    if (Date.now() > deadline) throw new Error(`run ${id} still ${s.state} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
