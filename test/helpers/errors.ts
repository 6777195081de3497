/** The message of the error that `f` throws, checked to be a `kind` (e.g. UsageError); fails if none is thrown. */
import { expect } from 'vitest';

export function thrownMessage(f: () => unknown, kind: new (...args: never[]) => Error): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(kind);
    return (e as Error).message;
  }
  throw new Error(`expected a ${kind.name}`);
}
