// The form of a scenario's interventions, built from whatever steps the scenario has and the JSON
// Schema of an intervention that the server sends (zod's, so the form follows the engine's schema
// without knowing the intervention types): enums become lists, shares sliders, categories and areas
// tick boxes and lists of the city's own, a location is set by a click on the map. Every input carries
// the JSON path it edits (data-path), so the server's errors can point at it.

/** The schema of the step type `type` (from a oneOf/anyOf of objects with a const "type"). */
export function variantOf(schema, type) {
  const variants = schema?.oneOf ?? schema?.anyOf ?? [];
  return variants.find((v) => v?.properties?.type?.const === type) ?? null;
}

const alternatives = (fs) => (fs ? [fs, ...(fs.anyOf ?? []), ...(fs.oneOf ?? [])] : []);

function enumOf(fs) {
  const values = [];
  for (const a of alternatives(fs)) {
    if (Array.isArray(a.enum)) values.push(...a.enum);
    if (typeof a.const === 'string' && a !== fs) values.push(a.const);
  }
  return values.filter((v) => typeof v === 'string');
}

function accepts(fs, type) {
  return alternatives(fs).some((a) => a.type === type || (type === 'number' && a.type === 'integer'));
}

/** A field that takes {lat, lon}: by its schema, or by its value when there is no schema. */
export function isLocationField(fs, value) {
  if (alternatives(fs).some((a) => a.type === 'object' && a.properties?.lat && a.properties?.lon)) return true;
  return value !== null && typeof value === 'object' && !Array.isArray(value) && 'lat' in value && 'lon' in value;
}

const isCategoryKey = (key) => key === 'categories' || key === 'category';

/** A value to start a newly added parameter with. */
function startValue(fs, key, ctx) {
  if (fs?.default !== undefined) return fs.default;
  if (isLocationField(fs, undefined)) return ctx.mapCentre() ?? enumOf(fs)[0] ?? { lat: 0, lon: 0 };
  const e = enumOf(fs);
  if (e.length > 0 && !accepts(fs, 'number')) return e[0];
  if (key === 'area') return ctx.areas?.[0] ?? '';
  if (isCategoryKey(key)) return (ctx.categories ?? []).slice(0, 1);
  if (accepts(fs, 'number')) {
    const a = alternatives(fs).find((x) => x.type === 'number' || x.type === 'integer');
    return a.minimum ?? (a.exclusiveMinimum !== undefined ? a.exclusiveMinimum + 1 : 1);
  }
  if (accepts(fs, 'boolean')) return false;
  if (accepts(fs, 'array')) return [];
  return '';
}

function h(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c) e.append(c);
  return e;
}

let uid = 0;
const nextId = () => `f${++uid}`;

/**
 * Render the steps of `scenario` into `container`. ctx: { schema, categories, areas, hubTarget,
 * change(mutate, structural), target(i), mapCentre() }.
 */
export function renderSteps(container, scenario, ctx) {
  container.replaceChildren();
  const steps = Array.isArray(scenario.interventions) ? scenario.interventions : [];
  steps.forEach((step, i) => container.append(stepCard(step, i, ctx)));
  return steps.length;
}

function stepCard(step, i, ctx) {
  const path = `interventions[${i}]`;
  const card = h('div', { class: `step${ctx.hubTarget === i ? ' targeted' : ''}`, 'data-step': i, 'data-path': path });
  if (step === null || typeof step !== 'object' || Array.isArray(step)) {
    card.append(h('h4', { text: `${i + 1}. (not an object: edit it in the JSON)` }));
    return card;
  }
  card.append(h('h4', { text: `${i + 1}. ${String(step.type ?? '(no type)')}` }));
  const variant = variantOf(ctx.schema, step.type);
  for (const key of Object.keys(step)) {
    if (key === 'type') continue;
    card.append(fieldRow(step, key, variant?.properties?.[key], `${path}.${key}`, i, ctx));
  }
  const missing = Object.keys(variant?.properties ?? {}).filter((k) => k !== 'type' && !(k in step));
  if (missing.length > 0) {
    const add = h('select', { 'aria-label': `add a parameter to step ${i + 1}`, class: 'add-parameter' }, h('option', { value: '', text: '+ add a parameter' }), ...missing.map((k) => h('option', { value: k, text: k })));
    add.addEventListener('change', () => {
      const key = add.value;
      if (key) ctx.change((s) => (s.interventions[i][key] = startValue(variant.properties[key], key, ctx)), true);
    });
    card.append(h('div', { class: 'field-row' }, add));
  }
  return card;
}

function fieldRow(step, key, fs, path, i, ctx) {
  const id = nextId();
  const row = h('div', { class: 'field-row' }, h('label', { for: id, text: key, title: fs?.description }));
  const set = (value, structural = false) => ctx.change((s) => (s.interventions[i][key] = value), structural);
  const value = step[key];
  if (isLocationField(fs, value)) row.append(...locationControls(value, fs, id, path, i, set, ctx));
  else if (isCategoryKey(key) && (typeof value === 'string' || Array.isArray(value))) row.append(categoryChecks(value, key, id, path, set, ctx, () => ctx.change((s) => delete s.interventions[i][key], true)));
  else if (key === 'area' && typeof value === 'string') row.append(areaSelect(value, id, path, set, ctx));
  else row.append(...plainControls(value, fs, id, path, set));
  const remove = h('button', { type: 'button', class: 'small-button', title: `remove ${key} (its default applies)`, text: '×', 'aria-label': `remove ${key}` });
  const required = variantOf(ctx.schema, step.type)?.required ?? [];
  if (!required.includes(key)) {
    remove.addEventListener('click', () => ctx.change((s) => delete s.interventions[i][key], true));
    row.append(remove);
  }
  return row;
}

function plainControls(value, fs, id, path, set) {
  const options = enumOf(fs);
  if (options.length > 0 && !accepts(fs, 'number') && (typeof value === 'string' || value === undefined)) {
    const select = h('select', { id, 'data-path': path }, ...[...new Set([...options, value])].filter((v) => v !== undefined).map((v) => h('option', { value: v, text: v })));
    select.value = value;
    select.addEventListener('change', () => set(select.value));
    return [select];
  }
  if (typeof value === 'boolean') {
    const box = h('input', { id, type: 'checkbox', 'data-path': path, checked: value });
    box.addEventListener('change', () => set(box.checked));
    return [box];
  }
  const numeric = alternatives(fs).find((a) => a.type === 'number' || a.type === 'integer');
  if (typeof value === 'number' && numeric?.minimum === 0 && numeric?.maximum === 1) {
    // a share: a slider and the number
    const slider = h('input', { type: 'range', min: 0, max: 1, step: 0.05, value, 'aria-label': `${path} slider` });
    const box = h('input', { id, type: 'number', min: 0, max: 1, step: 'any', value, 'data-path': path, class: 'share' });
    slider.addEventListener('input', () => (box.value = slider.value));
    slider.addEventListener('change', () => set(Number(slider.value)));
    box.addEventListener('change', () => {
      slider.value = box.value;
      set(box.value === '' ? null : Number(box.value));
    });
    return [slider, box];
  }
  if (typeof value === 'number' && options.length === 0) {
    const box = h('input', { id, type: 'number', step: 'any', value, 'data-path': path, min: numeric?.minimum, max: numeric?.maximum });
    box.addEventListener('change', () => set(box.value === '' ? null : Number(box.value)));
    return [box];
  }
  if (typeof value === 'string' || typeof value === 'number') {
    // text, or a number or a word (e.g. attractiveness: a number, "median" or "max")
    const list = options.length > 0 ? h('datalist', { id: `${id}-list` }, ...options.map((v) => h('option', { value: v }))) : null;
    const box = h('input', { id, type: 'text', value: String(value), 'data-path': path, list: list ? `${id}-list` : undefined, size: 18 });
    box.addEventListener('change', () => {
      const t = box.value.trim();
      set(accepts(fs, 'number') && t !== '' && Number.isFinite(Number(t)) ? Number(t) : box.value);
    });
    return list ? [box, list] : [box];
  }
  // arrays and objects: their JSON
  const box = h('input', { id, type: 'text', value: JSON.stringify(value), 'data-path': path, size: 24, class: 'json-field' });
  box.addEventListener('change', () => {
    try {
      set(JSON.parse(box.value));
      box.classList.remove('invalid');
    } catch {
      box.classList.add('invalid');
    }
  });
  return [box];
}

function categoryChecks(value, key, id, path, set, ctx, unset) {
  const chosen = typeof value === 'string' ? [value] : value.filter((v) => typeof v === 'string');
  // ctx.categories is null until the city's places are in: nothing is flagged before
  const city = ctx.categories ?? [];
  const all = [...city, ...chosen.filter((c) => !city.includes(c))];
  const wrap = h('span', { class: 'checks', id, 'data-path': path, role: 'group', 'aria-label': path });
  for (const c of all) {
    const box = h('input', { type: 'checkbox', value: c, checked: chosen.includes(c), 'data-category': c });
    const unknown = ctx.categories !== null && !city.includes(c);
    box.addEventListener('change', () => {
      const ticked = [...wrap.querySelectorAll('input:checked')].map((b) => b.value);
      // one category given as a string stays a string; "categories" ticked none means all of them
      if (key === 'categories' && ticked.length === 0) unset();
      else set(typeof value === 'string' && ticked.length === 1 ? ticked[0] : ticked);
    });
    wrap.append(h('label', { class: unknown ? 'unknown' : undefined, title: unknown ? 'not a category of this city' : undefined }, box, ` ${c}${unknown ? ' (not in this city)' : ''}`));
  }
  if (all.length === 0) wrap.append(h('span', { class: 'hint', text: 'the city has no categories' }));
  return wrap;
}

function areaSelect(value, id, path, set, ctx) {
  const city = ctx.areas ?? [];
  const known = (a) => ctx.areas === null || city.includes(a);
  const names = [...city, ...(city.includes(value) ? [] : [value])];
  const select = h('select', { id, 'data-path': path }, ...names.map((a) => h('option', { value: a, text: known(a) ? a : `${a} (not in this city)` })));
  select.value = value;
  select.addEventListener('change', () => set(select.value));
  return select;
}

function locationControls(value, fs, id, path, i, set, ctx) {
  const text = value !== null && typeof value === 'object' ? `${Number(value.lat).toFixed(5)}, ${Number(value.lon).toFixed(5)}` : JSON.stringify(value);
  const shown = h('span', { id, class: 'location-text', 'data-path': path, 'data-location': JSON.stringify(value), text });
  const place = h('button', { type: 'button', class: 'small-button place-on-map', 'data-step': i, text: ctx.hubTarget === i ? 'click the map…' : 'place on the map' });
  place.addEventListener('click', () => ctx.target(i));
  const out = [shown, place];
  for (const word of enumOf(fs)) {
    if (value === word) continue;
    const b = h('button', { type: 'button', class: 'small-button', text: `use "${word}"` });
    b.addEventListener('click', () => set(word, true));
    out.push(b);
  }
  return out;
}
