/**
 * Checks of a scenario's interventions against the world, before any work (what zod cannot know):
 * categories that do not exist, place ids that do not exist (or clash, for a new hub), areas that do not
 * exist, a hub outside every area (hub-location.ts), and columns a step needs (lat/lon for distances,
 * home_lat/home_lon for homes, home_tract to relocate, home_id to exclude same-home encounters, visits
 * to rewrite). Each problem is a UsageError naming the JSON path, e.g.
 * `interventions[2].categories[0]: unknown category "bar"; the categories are "grocery", "park"`.
 * Hubs added by earlier steps count as existing places for later steps.
 */
import { UsageError } from '../io/errors.js';
import type { World } from '../estimate/world.js';
import { hubArea } from './hub-location.js';
import type { Intervention } from './interventions.js';
import { areaLabelsOf } from './world-index.js';

const list = (names: readonly string[]) => names.map((n) => JSON.stringify(n)).join(', ');

export function validateInterventions(world: World, steps: readonly Intervention[], pathPrefix = 'interventions'): void {
  const { persons, places } = world;
  const labels = areaLabelsOf(world);
  const addedIds = new Map<string, string>();
  const placeExists = (id: string) => places.ids.intern(id, false) >= 0 || addedIds.has(id);

  steps.forEach((step, i) => {
    const path = `${pathPrefix}[${i}]`;
    const fail = (field: string, message: string): never => {
      throw new UsageError(`${path}${field === '' ? '' : `.${field}`}: ${message}`);
    };
    const needVisits = () => {
      if (!world.visits) fail('type', `${step.type} rewrites visits, but the input has pair encounters only (no visits file)`);
    };
    const needCategories = (field: string, names: readonly string[]) => {
      if (!places.category) fail(field, `places have no category column: ${step.type} ${field} needs one`);
      names.forEach((name, k) => {
        // add-hub's category may be one string (then it has no index in the file)
        const at = field === 'category' && names.length === 1 ? field : `${field}[${k}]`;
        if (!places.category!.names.includes(name)) fail(at, `unknown category ${JSON.stringify(name)}; the categories are ${list(places.category!.names)}`);
      });
    };
    const needPlaceLocations = (what: string) => {
      if (!places.lat || !places.lon) fail('type', `places have no lat/lon column: ${what} needs them`);
    };
    const needHomes = (what: string) => {
      if (!persons.homeLat || !persons.homeLon) fail('type', `persons have no home_lat/home_lon column: ${what} needs them`);
    };
    const needArea = (name: string | undefined) => {
      if (name !== undefined && !labels.includes(name)) fail('area', `unknown area ${JSON.stringify(name)}; the areas are ${list(labels)}`);
    };
    const checkLocation = (step: Extract<Intervention, { type: 'add-hub' | 'move-hub' }>) => {
      needArea(step.area);
      if (step.location === 'between-communities') {
        if (step.area === undefined && labels.length > 1) fail('area', `"between-communities" needs the area (one of ${list(labels)})`);
      } else {
        hubArea(world, step.location.lat, step.location.lon, step.area, path);
      }
    };

    switch (step.type) {
      case 'redirect-visits': {
        needVisits();
        if (step.categories) needCategories('categories', step.categories);
        if (step.choice !== 'random') {
          if (!places.lat || !places.lon) fail('choice', `places have no lat/lon column: redirect-visits choice ${JSON.stringify(step.choice)} needs them`);
        }
        if (step.choice === 'distance-decay' || step.choice === 'equalized-range') {
          if (!persons.homeLat || !persons.homeLon) fail('choice', `persons have no home_lat/home_lon column: redirect-visits choice ${JSON.stringify(step.choice)} needs them`);
        }
        break;
      }
      case 'add-hub': {
        needVisits();
        needCategories('category', step.category);
        needPlaceLocations('add-hub');
        needHomes('add-hub (its catchment)');
        const id = step.id ?? `hub-${i}`;
        if (placeExists(id)) fail('id', `place id ${JSON.stringify(id)} exists already${addedIds.has(id) ? ` (added by ${addedIds.get(id)})` : ''}`);
        checkLocation(step);
        addedIds.set(id, path);
        break;
      }
      case 'move-hub': {
        needVisits();
        if (!placeExists(step.place_id)) fail('place_id', `no place has the id ${JSON.stringify(step.place_id)}`);
        const q = places.ids.intern(step.place_id, false);
        if (q >= 0 && places.category && places.category.codes[q] < 0) fail('place_id', `place ${JSON.stringify(step.place_id)} has no category: a hub competes within its category`);
        needPlaceLocations('move-hub');
        needHomes('move-hub (its catchment)');
        checkLocation(step);
        break;
      }
      case 'filter-encounters': {
        if (step.hours || step.categories) needVisits();
        if (step.categories) needCategories('categories', step.categories);
        if (step.exclude_same_home && !persons.homeId) fail('exclude_same_home', 'persons have no home_id column: same-home encounters cannot be told apart');
        break;
      }
      case 'relocate-homes': {
        if (!persons.homeTract) fail('type', 'persons have no home_tract column: relocate-homes moves households between homes and needs it');
        needArea(step.area);
        break;
      }
    }
  });
}
