// The planner page: a scenario as JSON (the textarea shows it whole), a form over its steps, a map of
// the base's places for hubs, and runs on the server (POST /api/jobs, progress by polling, cancel,
// results). Every change is validated by the server with the engine's schema; its errors are listed
// with their JSON paths and the inputs they point at are outlined.
import { drawPlaces, eventPoint, CATEGORY_COLOURS } from './places-map.js';
import { isLocationField, renderSteps, variantOf } from './scenario-form.js';
import { renderFigures, renderTable } from './results.js';

const $ = (id) => document.getElementById(id);
const POLL_MS = 300;

const state = {
  cities: [],
  scenarios: [],
  schema: null,
  scenario: null,
  /** the server's resolved copy of the current scenario (null while it has problems) */
  resolved: null,
  places: null,
  placesKey: null,
  area: null,
  frame: null,
  hubTarget: null,
  job: null,
  /** the finished run whose scenario is the one on the page (its JSON is downloaded from the server) */
  doneJob: null,
  validateToken: 0,
};

async function api(method, path, body) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  let json = null;
  try {
    json = await res.json();
  } catch {
    json = { error: `${res.status} ${res.statusText}` };
  }
  return { status: res.status, ok: res.ok, json };
}

// ---- scenario state -------------------------------------------------------------------------------

function firstSeed(s) {
  if (Array.isArray(s.seeds) && s.seeds.length > 0) return s.seeds[0];
  return 1;
}

function cityOf(base) {
  if (!base || typeof base !== 'object') return null;
  return state.cities.find((c) => JSON.stringify(c.base) === JSON.stringify(base)) ?? state.cities.find((c) => 'city' in c.base && c.base.city === base.city) ?? null;
}

/** Apply `mutate` to the scenario; re-render the form when the structure changed. */
function change(mutate, structural = false) {
  mutate(state.scenario);
  state.doneJob = null;
  writeJson();
  if (structural) renderForm();
  renderTop();
  drawMap();
  scheduleValidate();
  refreshPlaces();
}

function loadScenario(json) {
  state.scenario = structuredClone(json);
  state.hubTarget = null;
  state.doneJob = null;
  writeJson();
  renderAll();
}

function writeJson() {
  $('json-editor').value = JSON.stringify(state.scenario, null, 2);
}

function renderAll() {
  renderTop();
  renderForm();
  drawMap();
  scheduleValidate();
  refreshPlaces();
}

// ---- the top fields: scenario, city, seeds ----------------------------------------------------------

function renderTop() {
  const s = state.scenario;
  const file = state.scenarios.find((x) => x.name === s.name);
  $('scenario-description').textContent = typeof s.description === 'string' ? s.description : (file?.description ?? '');
  const select = $('city-select');
  const current = cityOf(s.base);
  select.replaceChildren(...state.cities.map((c) => new Option(c.label, c.id)));
  if (!current) select.append(new Option('as in the JSON', 'json'));
  select.value = current ? current.id : 'json';
  $('city-description').textContent = current ? current.description : 'a base the form does not list (edit it in the JSON)';
  const seeds = $('seeds-input');
  seeds.value = typeof s.seeds === 'number' ? String(s.seeds) : Array.isArray(s.seeds) ? String(s.seeds.length) : '';
  seeds.placeholder = '20';
  seeds.title = Array.isArray(s.seeds) ? `a list of ${s.seeds.length} seeds; a number here replaces it with seeds 1..n` : 'seeds 1..n';
}

function onCityChange() {
  const c = state.cities.find((x) => x.id === $('city-select').value);
  if (!c) return;
  change((s) => {
    const seed = s.base && typeof s.base === 'object' && 'city' in c.base ? s.base.seed : undefined;
    s.base = seed === undefined ? structuredClone(c.base) : { ...structuredClone(c.base), seed };
  }, true);
}

function onSeedsChange() {
  const v = $('seeds-input').value.trim();
  change((s) => {
    if (v === '') delete s.seeds;
    else s.seeds = Number.isInteger(Number(v)) ? Number(v) : v;
  });
}

// ---- the steps -----------------------------------------------------------------------------------

function locationSteps() {
  const steps = Array.isArray(state.scenario.interventions) ? state.scenario.interventions : [];
  const out = [];
  steps.forEach((step, i) => {
    if (!step || typeof step !== 'object') return;
    const variant = variantOf(state.schema, step.type);
    if ('location' in step && isLocationField(variant?.properties?.location, step.location)) out.push(i);
  });
  return out;
}

function renderForm() {
  const n = renderSteps($('steps'), state.scenario, {
    schema: state.schema,
    categories: state.places?.categories ?? null,
    areas: state.places?.areas ?? null,
    hubTarget: state.hubTarget,
    change,
    target: (i) => {
      state.hubTarget = i;
      const area = state.scenario.interventions[i]?.area;
      if (typeof area === 'string' && state.places?.areas.includes(area)) state.area = area;
      renderForm();
      drawMap();
    },
    mapCentre: () => (state.frame ? state.frame.toLatLon(280, 210) : null),
  });
  $('steps-empty').hidden = n > 0;
  markProblems(state.problems ?? []);
}

// ---- the map --------------------------------------------------------------------------------------

async function refreshPlaces() {
  const s = state.scenario;
  const key = JSON.stringify([s.base, firstSeed(s)]);
  if (key === state.placesKey) return;
  state.placesKey = key;
  $('map-source').textContent = 'loading the places…';
  const r = await api('POST', '/api/places', { base: s.base, seed: firstSeed(s) });
  if (key !== state.placesKey) return; // a newer base was asked for meanwhile
  if (!r.ok) {
    state.places = null;
    $('map-source').textContent = `no map: ${r.json.errors ? r.json.errors.map((e) => `${e.path}: ${e.message}`).join('; ') : r.json.error}`;
    drawMap();
    return;
  }
  state.places = r.json;
  if (!state.places.areas.includes(state.area)) state.area = state.places.areas[0] ?? null;
  $('map-source').textContent = `${r.json.ids.length} places of ${r.json.source}${r.json.note ? ` (${r.json.note})` : ''}.`;
  renderAreaSelect();
  renderForm();
  drawMap();
}

function renderAreaSelect() {
  const select = $('area-select');
  const areas = state.places?.areas ?? [];
  select.replaceChildren(...areas.map((a) => new Option(a, a)));
  if (areas.length === 0) select.append(new Option('(all places)', ''));
  select.value = state.area ?? '';
}

function drawMap() {
  const svg = $('places-map');
  const targets = locationSteps();
  const hubs = targets
    .map((i) => ({ i, loc: state.scenario.interventions[i].location }))
    .filter((x) => x.loc && typeof x.loc === 'object' && Number.isFinite(Number(x.loc.lat)) && Number.isFinite(Number(x.loc.lon)))
    .map((x) => ({ step: x.i, lat: Number(x.loc.lat), lon: Number(x.loc.lon), label: `step ${x.i + 1}` }));
  if (!state.places) {
    svg.replaceChildren();
    state.frame = null;
  } else {
    state.frame = drawPlaces(svg, state.places, state.area, state.places.categories, hubs);
  }
  const legend = $('map-legend');
  legend.replaceChildren(
    ...(state.places?.categories ?? []).map((c, k) => {
      const item = document.createElement('span');
      const sw = document.createElement('span');
      sw.className = 'swatch';
      sw.style.background = CATEGORY_COLOURS[k % CATEGORY_COLOURS.length];
      item.append(sw, c);
      return item;
    }),
  );
  const target = state.hubTarget ?? (targets.length === 1 ? targets[0] : null);
  svg.classList.toggle('idle', target === null);
  $('map-instructions').textContent =
    targets.length === 0
      ? 'This scenario has no step with a location (a hub); add one in the JSON to place it here.'
      : target === null
        ? 'Pick the step to place ("place on the map"), then click the map.'
        : `Click the map to place step ${target + 1} (${state.scenario.interventions[target].type}) there.`;
}

function onMapClick(event) {
  if (!state.frame) return;
  const targets = locationSteps();
  const target = state.hubTarget ?? (targets.length === 1 ? targets[0] : null);
  if (target === null) return;
  const [x, y] = eventPoint($('places-map'), event);
  const { lat, lon } = state.frame.toLatLon(x, y);
  const round = (v) => Math.round(v * 1e6) / 1e6;
  change((s) => {
    const step = s.interventions[target];
    step.location = { lat: round(lat), lon: round(lon) };
    // a hub placed in the area on the map serves that area
    if (typeof step.area === 'string' && state.area) step.area = state.area;
  }, true);
}

// ---- validation -----------------------------------------------------------------------------------

let validateTimer = null;
/** Validate after a pause in the edits; until then the page says it is checking (no stale verdict). */
function scheduleValidate() {
  clearTimeout(validateTimer);
  showChecking();
  validateTimer = setTimeout(validate, 250);
}

function showChecking() {
  // an answer to an earlier check that is still on its way is about an older scenario: dropped
  state.validateToken++;
  state.resolved = null;
  $('problems').replaceChildren(Object.assign(document.createElement('p'), { className: 'checking', textContent: 'Checking the scenario…' }));
}

async function validate() {
  clearTimeout(validateTimer);
  // an edit of the JSON is still waiting to be applied: its own check follows
  if (jsonTimer !== null) return;
  const token = ++state.validateToken;
  const r = await api('POST', '/api/validate', state.scenario);
  if (token !== state.validateToken) return;
  if (r.ok) {
    state.resolved = r.json.scenario;
    showProblems([]);
  } else {
    state.resolved = null;
    showProblems(r.json.errors ?? [{ path: '(request)', message: r.json.error }]);
  }
}

/** Apply a JSON edit still waiting for its pause, and validate now: what Run and Download act on. */
async function settle() {
  if (jsonTimer !== null) {
    clearTimeout(jsonTimer);
    if (!applyJson()) return false;
  }
  await validate();
  return state.resolved !== null;
}

function showProblems(problems) {
  state.problems = problems;
  const box = $('problems');
  box.replaceChildren();
  if (problems.length === 0) {
    const ok = document.createElement('p');
    ok.className = 'ok';
    const r = state.resolved;
    ok.textContent = r ? `The scenario is valid: ${r.interventions.length} step${r.interventions.length === 1 ? '' : 's'}, ${Array.isArray(r.seeds) ? r.seeds.length : r.seeds} seeds.` : '';
    box.append(ok);
  } else {
    const p = document.createElement('p');
    p.textContent = `The scenario has ${problems.length} problem${problems.length === 1 ? '' : 's'}:`;
    const ul = document.createElement('ul');
    ul.id = 'problem-list';
    for (const e of problems) {
      const li = document.createElement('li');
      li.dataset.problem = e.path;
      const code = document.createElement('code');
      code.textContent = e.path;
      li.append(code, `: ${e.message}`);
      ul.append(li);
    }
    box.append(p, ul);
  }
  markProblems(problems);
}

/** Outline the inputs an error points at (its path, or the nearest enclosing one that has an input). */
function markProblems(problems) {
  for (const e of document.querySelectorAll('.invalid[data-path]')) e.classList.remove('invalid');
  for (const { path } of problems) {
    let p = path;
    for (;;) {
      const hit = document.querySelector(`[data-path="${CSS.escape(p)}"]`);
      if (hit) {
        hit.classList.add('invalid');
        break;
      }
      const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      if (cut <= 0) break;
      p = p.slice(0, cut);
    }
  }
}

// ---- runs -----------------------------------------------------------------------------------------

function setRunning(running) {
  $('run-button').disabled = running;
  $('cancel-button').disabled = !running;
  $('progress').hidden = !running && !state.job;
}

function message(text, kind = '') {
  const m = $('run-message');
  m.textContent = text;
  m.className = kind;
}

async function run() {
  message('');
  if (jsonTimer !== null && !applyJson()) return;
  const r = await api('POST', '/api/jobs', state.scenario);
  if (r.status === 400 && r.json.errors) {
    showProblems(r.json.errors);
    message('The scenario has problems (listed above): fix them and run again.', 'failed');
    return;
  }
  if (!r.ok) {
    message(r.json.error, 'failed');
    return;
  }
  state.job = r.json;
  $('results').hidden = true;
  setRunning(true);
  showProgress(r.json);
  poll(r.json.id);
}

async function poll(id) {
  let r;
  try {
    r = await api('GET', `/api/jobs/${id}`);
  } catch (e) {
    // the server stopped or the connection broke: say so instead of waiting forever
    message(`Lost contact with the server (${e.message}): is mobiseg serve still running?`, 'failed');
    setRunning(false);
    return;
  }
  if (!r.ok) {
    message(r.json.error, 'failed');
    setRunning(false);
    return;
  }
  const job = r.json;
  state.job = job;
  showProgress(job);
  if (job.state === 'queued' || job.state === 'running') {
    setTimeout(() => poll(id), POLL_MS);
    return;
  }
  setRunning(false);
  if (job.state === 'done') {
    const res = await api('GET', `/api/jobs/${id}/result`);
    if (!res.ok) {
      message(res.json.error, 'failed');
      return;
    }
    showResult(res.json);
    state.doneJob = id;
    message(`Done: ${job.progress.seedsTotal} seeds in ${job.seconds?.toFixed(1)} s.`, 'done');
  } else {
    message(`The run ${job.state === 'cancelled' ? 'was cancelled' : 'failed'}: ${job.message}`, job.state);
  }
}

function showProgress(job) {
  const p = job.progress;
  $('progress').hidden = false;
  const bar = $('progress-bar');
  const parts = [];
  if (job.state === 'queued') {
    bar.removeAttribute('value');
    parts.push(`waiting: ${job.ahead} run${job.ahead === 1 ? '' : 's'} ahead`);
  } else {
    bar.value = job.state === 'done' ? 1 : p.seedsTotal > 0 ? p.seedsDone / p.seedsTotal : 0;
    parts.push(job.state === 'running' ? `seed ${Math.min(p.seedsDone + 1, p.seedsTotal)} of ${p.seedsTotal}` : `${job.state}: ${p.seedsDone} of ${p.seedsTotal} seeds`);
    if (job.state === 'running' && p.step) parts.push(p.total > 0 ? `${p.step} ${Math.round((100 * p.done) / p.total)}%` : p.step);
    if (job.state === 'running' && p.note) parts.push(p.note);
  }
  $('progress-text').textContent = parts.join(' · ');
  $('progress').dataset.state = job.state;
}

function showResult(result) {
  $('results').hidden = false;
  renderTable($('results-table'), result.rows);
  renderFigures($('figures'), result.figures);
  $('top-places').innerHTML = result.topPlacesHtml; // escaped by the server's table writer
  $('top-places-section').hidden = result.topPlacesHtml === '';
  const file = (name) => `/api/jobs/${result.id}/files/${name}`;
  $('csv-link').href = file('scenario.csv');
  $('report-link').href = file('report.html');
  $('report-link').hidden = !result.outputs.includes('report.html');
}

async function cancel() {
  if (!state.job) return;
  const r = await api('POST', `/api/jobs/${state.job.id}/cancel`);
  if (!r.ok) message(r.json.error, 'failed');
  else showProgress(r.json);
}

async function download() {
  if (!state.doneJob && !(await settle())) {
    message('The scenario has problems (listed above): fix them first.', 'failed');
    return;
  }
  const a = document.createElement('a');
  const name = `${String(state.scenario.name ?? 'scenario').replace(/[^A-Za-z0-9._-]+/g, '_')}.json`;
  if (state.doneJob) {
    a.href = `/api/jobs/${state.doneJob}/scenario.json`;
  } else {
    a.href = URL.createObjectURL(new Blob([`${JSON.stringify(state.resolved, null, 2)}\n`], { type: 'application/json' }));
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  }
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
}

// ---- start ----------------------------------------------------------------------------------------

let jsonTimer = null;
/** The editor's text as the scenario; false (and the parse error shown) when it is not JSON. */
function applyJson() {
  jsonTimer = null;
  let value;
  try {
    value = JSON.parse($('json-editor').value);
  } catch (e) {
    state.resolved = null;
    showProblems([{ path: '(JSON)', message: e.message }]);
    return false;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    state.resolved = null;
    showProblems([{ path: '(top level)', message: 'a scenario is a JSON object ({"name": ..., "base": ..., "interventions": [...]})' }]);
    return false;
  }
  state.scenario = value;
  state.doneJob = null;
  renderAll();
  return true;
}

function onJsonInput() {
  clearTimeout(jsonTimer);
  // a check of the scenario as it was before this edit must not start (its verdict would be stale)
  clearTimeout(validateTimer);
  showChecking();
  jsonTimer = setTimeout(applyJson, 300);
}

async function start() {
  const [cities, scenarios, schema] = await Promise.all([api('GET', '/api/cities'), api('GET', '/api/scenarios'), api('GET', '/api/schema')]);
  state.cities = cities.json.cities;
  state.scenarios = scenarios.json.scenarios;
  state.schema = schema.json.intervention;
  const select = $('scenario-select');
  select.replaceChildren(...state.scenarios.map((s) => new Option(s.name, s.file)));
  select.addEventListener('change', () => loadScenario(state.scenarios.find((s) => s.file === select.value).json));
  $('city-select').addEventListener('change', onCityChange);
  $('seeds-input').addEventListener('change', onSeedsChange);
  $('area-select').addEventListener('change', () => {
    state.area = $('area-select').value || null;
    drawMap();
  });
  $('places-map').addEventListener('click', onMapClick);
  $('json-editor').addEventListener('input', onJsonInput);
  $('run-button').addEventListener('click', run);
  $('cancel-button').addEventListener('click', cancel);
  $('download-button').addEventListener('click', download);
  const wanted = new URLSearchParams(location.search).get('scenario');
  const first = state.scenarios.find((s) => s.file === wanted) ?? state.scenarios[0];
  if (first) {
    select.value = first.file;
    loadScenario(first.json);
  }
  document.body.dataset.ready = 'true';
}

start().catch((e) => message(`The page could not start: ${e.message}`, 'failed'));
