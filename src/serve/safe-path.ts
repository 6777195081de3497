/**
 * Files under a root folder, and nothing else: a request path is decoded once, refused when it climbs
 * out (a `..` segment, also as %2e%2e or behind an encoded slash), is absolute, holds a NUL or names a
 * hidden file, then resolved and checked to lie inside the root, first as written and then with every
 * symbolic link followed (a link inside the root that points out of it is refused).
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { HttpError } from './http.js';

/** True when `path` is `root` or lies below it (both absolute and normalised). */
export function isInside(root: string, path: string): boolean {
  const r = relative(root, path);
  // `..` or `../x` leaves the folder; a name that merely starts with two dots (`..cache`) does not
  return r === '' || (r !== '..' && !r.startsWith(`..${sep}`) && !isAbsolute(r));
}

/**
 * `path` (absolute) with its symbolic links followed: those of the path itself when it exists, else
 * those of its nearest existing folder (a missing file below a link that leads out still leads out).
 */
export function realOrSelf(path: string): string {
  const rest: string[] = [];
  let p = resolve(path);
  for (;;) {
    try {
      return join(realpathSync(p), ...rest.reverse());
    } catch {
      const parent = dirname(p);
      if (parent === p) return resolve(path);
      rest.push(basename(p));
      p = parent;
    }
  }
}

/**
 * The file at `requestPath` (URL-encoded, relative, '/'-separated) under `root`, or an HttpError:
 * 400 for a path that cannot be decoded, 403 for one that leaves the root, 404 for one that is not a
 * file there (or is hidden).
 */
export function fileInside(root: string, requestPath: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(requestPath);
  } catch {
    throw new HttpError(400, 'the path is not valid URL encoding');
  }
  if (decoded.includes('\0')) throw new HttpError(400, 'the path holds a NUL character');
  if (decoded.startsWith('/') || decoded.startsWith('\\') || isAbsolute(decoded)) throw new HttpError(403, 'absolute paths are not served');
  const segments = decoded.split(/[/\\]/);
  if (segments.some((s) => s === '..')) throw new HttpError(403, 'paths may not climb out of the served folder');
  if (segments.some((s) => s.startsWith('.'))) throw new HttpError(404, 'not found');
  const realRoot = realOrSelf(resolve(root));
  const target = resolve(realRoot, segments.join(sep));
  if (!isInside(realRoot, target)) throw new HttpError(403, 'paths may not climb out of the served folder');
  if (!existsSync(target)) throw new HttpError(404, 'not found');
  if (!isInside(realRoot, realOrSelf(target))) throw new HttpError(403, 'a link that leads out of the served folder is not followed');
  if (!statSync(target).isFile()) throw new HttpError(404, 'not found');
  return target;
}
