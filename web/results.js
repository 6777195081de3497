// A finished run on the page: the ES and BI rows of its scenario.csv (each number shown rounded, the
// CSV cell kept in data-value / data-low / data-high), the forest plots and places map the server drew
// with the report's renderer, and the report's table of the places that change most.

const MEASURE_NAMES = { es: 'ES', bi: 'BI' };
const LEVEL_NAMES = { msa: 'MSA', county: 'county' };

/** 0.4123 -> "0.412"; a change gets its sign: "+0.0123", "−0.0040"; missing -> "–". */
export function formatNumber(cell, digits = 3, signed = false) {
  const x = cell === '' || cell === undefined ? NaN : Number(cell);
  if (!Number.isFinite(x)) return '–';
  const t = Math.abs(x).toFixed(digits);
  if (!signed || Number(t) === 0) return (x < 0 && Number(t) !== 0 ? '\u2212' : '') + t;
  return (x > 0 ? '+' : '\u2212') + t;
}

function td(text, attrs = {}) {
  const c = document.createElement('td');
  c.textContent = text;
  for (const [k, v] of Object.entries(attrs)) c.setAttribute(k, v);
  return c;
}

/** A median and its interval: "0.412 [0.401, 0.420]", with the three CSV cells as attributes. */
function intervalCell(row, field, digits, signed) {
  const [v, lo, hi] = [row[field], row[`${field}_low`], row[`${field}_high`]];
  const text = `${formatNumber(v, digits, signed)} [${formatNumber(lo, digits, signed)}, ${formatNumber(hi, digits, signed)}]`;
  return td(text, { class: 'num', 'data-field': field, 'data-value': v, 'data-low': lo, 'data-high': hi });
}

export function renderTable(table, rows) {
  table.replaceChildren();
  const head = table.createTHead().insertRow();
  for (const [text, num] of [['area', false], ['measure', false], ['baseline', true], ['scenario', true], ['change', true], ['beyond noise', false]]) {
    const th = document.createElement('th');
    th.textContent = text;
    th.scope = 'col';
    if (num) th.className = 'num';
    head.append(th);
  }
  const body = table.createTBody();
  let level = null;
  for (const r of rows) {
    if (r.level !== level) {
      level = r.level;
      const tr = body.insertRow();
      tr.append(td(`by ${LEVEL_NAMES[level] ?? level} of home`, { colspan: '6', class: 'level-row' }));
    }
    const tr = body.insertRow();
    tr.dataset.level = r.level;
    tr.dataset.area = r.area;
    tr.dataset.measure = r.measure;
    tr.append(td(r.area_name || r.area), td(MEASURE_NAMES[r.measure] ?? r.measure));
    tr.append(intervalCell(r, 'baseline', 3, false), intervalCell(r, 'counterfactual', 3, false), intervalCell(r, 'delta', 4, true));
    const beyond = r.excludes_zero === 'true';
    tr.append(td(beyond ? 'yes' : 'no', { class: beyond ? 'beyond' : '', 'data-field': 'excludes_zero', 'data-value': r.excludes_zero }));
  }
}

/** The server's SVG charts (drawn by the report's renderer from the run's files). */
export function renderFigures(container, figures) {
  container.replaceChildren();
  for (const f of figures) {
    const section = document.createElement('section');
    section.id = `planner-${f.id}`;
    const h3 = document.createElement('h3');
    h3.textContent = f.heading;
    const note = document.createElement('p');
    note.className = 'note';
    note.textContent = f.note;
    const figure = document.createElement('figure');
    figure.dataset.chart = f.id;
    const drawing = document.createElement('div');
    if (f.svgs.length > 1) drawing.className = 'panels';
    // SVG text from this server's renderer (vega escapes the data it draws); the page's policy runs no script in it
    drawing.innerHTML = f.svgs.join('\n');
    const caption = document.createElement('figcaption');
    caption.textContent = f.caption;
    figure.append(drawing, caption);
    section.append(h3, note, figure);
    container.append(section);
  }
}
