/**
 * The planner server's HTTP plumbing on node:http: errors that carry their status code, JSON request
 * bodies read under a size limit, and responses with the headers every answer gets (no sniffing, no
 * framing by other sites, a content security policy that allows only the server's own scripts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** An answer other than 2xx: status, message, and details (e.g. schema errors with their JSON paths). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Request bodies above this many bytes are refused with 413. */
export const DEFAULT_BODY_LIMIT = 256 * 1024;

/**
 * Every response: the page may load scripts, styles and images from this server only (inline style
 * attributes allowed: the charts' SVG uses them), and no other site may frame it.
 */
const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Content-Security-Policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
};

export function send(res: ServerResponse, status: number, body: string | Uint8Array, contentType: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': contentType, 'Content-Length': String(Buffer.byteLength(body)), 'Cache-Control': 'no-store', ...headers });
  res.end(body);
}

/** JSON with non-finite numbers as null (JSON has no NaN). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v));
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  send(res, status, toJson(value), 'application/json; charset=utf-8', headers);
}

export function sendError(res: ServerResponse, e: HttpError): void {
  sendJson(res, e.status, { error: e.message, ...e.details }, e.headers);
}

/**
 * The body of a POST as parsed JSON. 415 unless it is declared application/json (which also makes a
 * browser ask before another site may send one: no cross-site form can start a run); 413 past `limit`
 * bytes (by Content-Length at once, else while reading); 400 for bad JSON.
 */
export async function readJsonBody(req: IncomingMessage, limit = DEFAULT_BODY_LIMIT): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') {
    drain(req, limit);
    throw new HttpError(415, `the body must be JSON sent as Content-Type: application/json (got ${type === '' ? 'none' : JSON.stringify(type)})`);
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    drain(req, limit);
    throw tooLarge(limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        drain(req, limit);
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve());
    req.on('error', reject);
  });
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new HttpError(400, `the body is not valid JSON: ${(e as Error).message}`);
  }
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, `the body is larger than the limit of ${limit} bytes`, { limit }, { Connection: 'close' });
}

/**
 * Discard the rest of a refused body so that the client, still sending, gets to read the answer; a
 * client that keeps sending far past the limit is cut off.
 */
function drain(req: IncomingMessage, limit: number): void {
  let extra = 0;
  req.on('data', (chunk: Buffer) => {
    extra += chunk.length;
    if (extra > 16 * limit) req.socket.destroy();
  });
  req.resume();
}
