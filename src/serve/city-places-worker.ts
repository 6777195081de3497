/**
 * The worker thread of PlacesService (city-places.ts): answers {id, scenario} with the places of the
 * scenario's base, one request after another, for as long as the server runs.
 */
import { parentPort } from 'node:worker_threads';
import { InputError, UsageError } from '../io/errors.js';
import type { Scenario } from '../scenarios/scenario-file.js';
import { cityPlaces } from './city-places.js';

const port = parentPort!;
port.on('message', async ({ id, scenario }: { id: number; scenario: Scenario }) => {
  try {
    port.postMessage({ id, ok: true, places: await cityPlaces(scenario) });
  } catch (e) {
    const known = e instanceof InputError || e instanceof UsageError;
    port.postMessage({ id, ok: false, known, message: e instanceof Error ? e.message : String(e) });
  }
});
