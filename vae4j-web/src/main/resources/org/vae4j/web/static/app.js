// vae4j latent explorer: plain JS, no libraries, talks to the JSON API documented at /api.
'use strict';

const $ = (id) => document.getElementById(id);
const state = {
  info: null,
  code: null,          // Float64Array, the current latent code
  sliders: [],         // by dimension
  decode: { inFlight: false, pending: false, version: 0 },
  map: null,
  picks: [],           // record indices clicked on the map
  inpaint: { index: null, mask: null, painting: false, image: null },
  label: null,         // the class a conditional model is given (null: the model takes none)
};

function status(msg, isError) {
  const s = $('status');
  s.textContent = msg || '';
  s.classList.toggle('error', !!isError);
}

async function api(path, body) {
  const opts = body === undefined ? {} : {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  };
  const r = await fetch(path, opts);
  if (!r.ok) {
    let msg = r.status + ' ' + r.statusText;
    try { msg = (await r.json()).error || msg; } catch (e) { /* not JSON */ }
    throw new Error(msg);
  }
  return r;
}

function el(tag, props, children) {
  const e = document.createElement(tag);
  Object.assign(e, props || {});
  for (const c of children || []) e.append(c);
  return e;
}

function pngImg(b64, title) {
  const img = el('img', { src: 'data:image/png;base64,' + b64, alt: title || '' });
  if (title) img.title = title;
  return img;
}

// ------------------------------------------------------------------------------------------- capabilities, labels

// The server lists the panels this model cannot serve, each with a one-line reason: hide the panel, show the reason.
function applyPanels() {
  for (const box of document.querySelectorAll('[data-panel]')) {
    const reason = state.info.unavailable[box.dataset.panel];
    if (!reason) continue;
    if (box.parentElement.querySelector('[data-reason-for="' + box.dataset.panel + '"]')) {
      box.hidden = true; // its neighbour already says why
      continue;
    }
    const note = el('p', { className: 'muted small reason', textContent: reason });
    note.dataset.reasonFor = box.dataset.panel;
    if (box.tagName === 'SECTION') {
      for (const c of box.children) if (c.tagName !== 'H2') c.hidden = true;
      box.append(note);
    } else {
      box.hidden = true;
      box.after(note);
    }
  }
}

/** How many test records the server serves, and of how many: "2000 of 10000 test records (serve --records N for more)". */
function servedRecords(data) {
  const total = data.testRecords || data.records;
  return total > data.records
    ? data.records + ' of ' + total + ' test records served (serve --records N for more)'
    : data.records + ' test records';
}

function can(panel) {
  return !state.info.unavailable[panel];
}

function labelName(k) {
  const names = state.info.labelNames;
  return (names && names[k]) || String(k);
}

function buildLabelPicker() {
  if (!state.info.conditional) return;
  const picker = $('label-picker');
  picker.replaceChildren(...Array.from({ length: state.info.classes }, (_, k) => el('option', { value: String(k), textContent: labelName(k) })));
  $('label-bar').hidden = false;
  state.label = 0;
  picker.addEventListener('change', () => {
    state.label = Number(picker.value);
    requestDecode();
  });
}

function setLabel(k) {
  if (!state.info.conditional || k === undefined || k === null) return;
  state.label = k;
  $('label-picker').value = String(k);
}

// The request body with the current class for a conditional model.
function withLabel(body) {
  if (state.info.conditional) body.label = state.label;
  return body;
}

function fmt(x, digits) {
  return typeof x === 'number' ? x.toFixed(digits === undefined ? 2 : digits) : String(x);
}

// ------------------------------------------------------------------------------------------- latent code + decode

function buildSliders() {
  const box = $('sliders');
  box.replaceChildren();
  const { latent, order, scores } = state.info;
  state.sliders = new Array(latent);
  for (const d of order) {
    const input = el('input', { type: 'range', min: -4, max: 4, step: 0.01, value: 0 });
    input.id = 'slider-' + d;
    input.dataset.dim = d;
    input.setAttribute('aria-label', 'z' + d);
    const out = el('output', { value: '0.00' });
    const kl = scores ? state.info.measure + ' ' + fmt(scores[d]) : '';
    input.addEventListener('input', () => {
      state.code[d] = Number(input.value);
      out.value = fmt(state.code[d]);
      $('code-source').textContent = 'code: edited';
      requestDecode();
    });
    box.append(el('div', { className: 'slider' }, [
      el('span', { className: 'dim', textContent: 'z' + d }),
      el('span', { className: 'kl', textContent: kl }),
      input, out,
    ]));
    state.sliders[d] = { input, out };
  }
}

function setCode(code, source) {
  state.code = Float64Array.from(code);
  state.code.forEach((v, d) => {
    const s = state.sliders[d];
    s.input.value = Math.max(-4, Math.min(4, v));
    s.out.value = fmt(v);
  });
  $('code-source').textContent = 'code: ' + source;
  requestDecode();
}

// At most one decode request in flight; while one runs, only the latest code is remembered and sent next.
function requestDecode() {
  if (!can('decode')) return;
  const dec = state.decode;
  if (dec.inFlight) { dec.pending = true; return; }
  dec.inFlight = true;
  dec.pending = false;
  const z = Array.from(state.code);
  api('/api/decode', withLabel({ z }))
    .then((r) => r.blob())
    .then((b) => createImageBitmap(b))
    .then((bmp) => {
      const c = $('decoded');
      const g = c.getContext('2d');
      g.imageSmoothingEnabled = false;
      g.drawImage(bmp, 0, 0, c.width, c.height);
      dec.version += 1;
      c.dataset.version = String(dec.version);
    })
    .catch((e) => status('decode: ' + e.message, true))
    .finally(() => {
      dec.inFlight = false;
      if (dec.pending) requestDecode();
    });
}

function gaussian() {
  let u = 0;
  while (u === 0) u = Math.random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * Math.random());
}

async function loadRecord(index, source) {
  const r = await api('/api/encode', { index });
  const j = await r.json();
  setLabel(j.condition); // a conditional model encoded the record given its own label: decode with it too
  setCode(j.mu, source || ('record ' + index + (j.labelName ? ' (' + j.labelName + ')' : '')));
  return j;
}

async function uploadImage(file) {
  const invert = $('invert').checked;
  const label = state.info.conditional ? '&label=' + state.label : '';
  const r = await fetch('/api/encode?invert=' + invert + label, {
    method: 'POST', headers: { 'Content-Type': file.type || 'application/octet-stream' }, body: file,
  });
  const j = await r.json();
  if (!r.ok) throw new Error(j.error || r.statusText);
  setCode(j.mu, 'uploaded ' + file.name);
}

// ------------------------------------------------------------------------------------------- latent map

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

function mapGeometry() {
  const m = state.map;
  const c = $('map');
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let i = 0; i < m.n; i++) {
    x0 = Math.min(x0, m.x[i]); x1 = Math.max(x1, m.x[i]);
    y0 = Math.min(y0, m.y[i]); y1 = Math.max(y1, m.y[i]);
  }
  const pad = 14;
  const sx = (c.width - 2 * pad) / Math.max(1e-9, x1 - x0);
  const sy = (c.height - 2 * pad) / Math.max(1e-9, y1 - y0);
  return {
    px: (i) => pad + (m.x[i] - x0) * sx,
    py: (i) => c.height - pad - (m.y[i] - y0) * sy,
  };
}

function drawMap() {
  const m = state.map;
  if (!m) return;
  const c = $('map');
  const g = c.getContext('2d');
  g.clearRect(0, 0, c.width, c.height);
  const geo = mapGeometry();
  for (let i = 0; i < m.n; i++) {
    g.fillStyle = m.labels ? PALETTE[m.labels[i] % PALETTE.length] : '#2f6fdb';
    g.globalAlpha = 0.7;
    g.beginPath();
    g.arc(geo.px(i), geo.py(i), 2.6, 0, 2 * Math.PI);
    g.fill();
  }
  g.globalAlpha = 1;
  state.picks.slice(-2).forEach((i, k) => {
    g.strokeStyle = '#000';
    g.lineWidth = 2;
    g.beginPath();
    g.arc(geo.px(i), geo.py(i), 7, 0, 2 * Math.PI);
    g.stroke();
    g.fillStyle = '#000';
    g.font = 'bold 12px sans-serif';
    g.fillText(k === 0 ? 'A' : 'B', geo.px(i) + 8, geo.py(i) - 8);
  });
}

function drawLegend() {
  const m = state.map;
  if (!m.labels) return;
  const seen = [...new Set(m.labels)].sort((a, b) => a - b);
  $('map-legend').replaceChildren(...seen.map((l) => {
    const sw = el('span', { className: 'swatch' });
    sw.style.background = PALETTE[l % PALETTE.length];
    return el('span', { className: 'legend-item' }, [sw, (m.labelNames && m.labelNames[l]) || String(l)]);
  }));
}

async function mapClick(ev) {
  const m = state.map;
  if (!m) return;
  const c = $('map');
  const rect = c.getBoundingClientRect();
  const x = (ev.clientX - rect.left) * (c.width / rect.width);
  const y = (ev.clientY - rect.top) * (c.height / rect.height);
  const geo = mapGeometry();
  let best = -1, bestD = 12 * 12;
  for (let i = 0; i < m.n; i++) {
    const d = (geo.px(i) - x) ** 2 + (geo.py(i) - y) ** 2;
    if (d < bestD) { bestD = d; best = i; }
  }
  if (best < 0) return;
  state.picks.push(best);
  drawMap();
  try {
    await loadRecord(best, 'map point ' + best);
    if (state.picks.length >= 2) {
      const [a, b] = state.picks.slice(-2);
      const j = await (await api('/api/interpolate', withLabel({ fromIndex: a, toIndex: b, steps: 10, mode: 'slerp' }))).json();
      $('interp').replaceChildren(...j.images.map((s, k) => pngImg(s, 'step ' + k)));
      $('interp-info').textContent = 'points ' + a + ' → ' + b + (j.label !== undefined ? ', within class ' + labelName(j.label) : '');
    }
  } catch (e) { status(e.message, true); }
}

// ------------------------------------------------------------------------------------------- traversal, samples

async function traverse() {
  const L = state.info.latent;
  const dims = Math.max(1, Math.min(L, Number($('trav-dims').value) || 1));
  const body = withLabel({
    z: Array.from(state.code), dims,
    range: Number($('trav-range').value) || 3,
    steps: Math.max(2, Math.min(20, Number($('trav-steps').value) || 9)),
  });
  const j = await (await api('/api/traverse', body)).json();
  $('traversal').replaceChildren(...j.rows.map((row) => el('div', { className: 'trav-row' }, [
    el('span', { className: 'label', textContent: 'z' + row.dim + (row.score !== undefined ? '  ' + j.measure + ' ' + fmt(row.score) : '') }),
    ...row.images.map((s, k) => pngImg(s, 'z' + row.dim + ' = ' + fmt(j.values[k]))),
  ])));
}

// where sampled codes come from: the model's prior, or a mixture fitted to its training codes (sample --sampler)
function samplerText(name) {
  return name === 'prior' ? 'the prior' : name + ' (a Gaussian mixture fitted to the training codes)';
}

function fillSamplers() {
  const names = state.info.samplers || ['prior'];
  $('sampler').replaceChildren(...names.map((s) => el('option', { value: s, textContent: samplerText(s) })));
  $('sampler-label').hidden = names.length < 2;
}

async function sample() {
  const n = Math.max(1, Math.min(64, Number($('sample-n').value) || 16));
  if (!$('sampler').options.length) {
    fillSamplers();
  }
  const j = await (await api('/api/sample', withLabel({ n, sampler: $('sampler').value || 'prior' }))).json();
  $('sample-info').textContent = (j.label !== undefined ? 'Class ' + labelName(j.label) + '. ' : '') + 'Codes from '
      + samplerText(j.sampler) + '. Click a sample to load its code.';
  $('samples').replaceChildren(...j.images.map((s, k) => {
    const img = pngImg(s, 'sample ' + k);
    img.className = 'sample';
    img.addEventListener('click', () => setCode(j.codes[k], 'sample ' + k));
    return img;
  }));
}

// ------------------------------------------------------------------------------------------- inpainting

async function inpaintLoad() {
  const index = Number($('inpaint-index').value) || 0;
  const r = await api('/api/record/' + index);
  const bmp = await createImageBitmap(await r.blob());
  const [, h, w] = state.info.imageShape;
  state.inpaint = { index, mask: new Uint8Array(h * w), painting: false, image: bmp };
  $('inpaint-result').replaceChildren();
  $('inpaint-info').textContent = '';
  drawInpaint();
}

function drawInpaint() {
  const ip = state.inpaint;
  const c = $('inpaint-canvas');
  const g = c.getContext('2d');
  g.imageSmoothingEnabled = false;
  g.clearRect(0, 0, c.width, c.height);
  if (!ip.image) return;
  g.drawImage(ip.image, 0, 0, c.width, c.height);
  const [, h, w] = state.info.imageShape;
  const cw = c.width / w, ch = c.height / h;
  g.fillStyle = 'rgba(230, 40, 40, 0.6)';
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (ip.mask[y * w + x]) g.fillRect(x * cw, y * ch, cw, ch);
    }
  }
}

function paintAt(ev) {
  const ip = state.inpaint;
  if (!ip.mask) return;
  const c = $('inpaint-canvas');
  const rect = c.getBoundingClientRect();
  const [, h, w] = state.info.imageShape;
  const px = Math.floor((ev.clientX - rect.left) / rect.width * w);
  const py = Math.floor((ev.clientY - rect.top) / rect.height * h);
  const r = Number($('brush').value);
  for (let y = py - r; y <= py + r; y++) {
    for (let x = px - r; x <= px + r; x++) {
      if (x >= 0 && y >= 0 && x < w && y < h && (x - px) ** 2 + (y - py) ** 2 <= r * r + 0.5) ip.mask[y * w + x] = 1;
    }
  }
  drawInpaint();
}

async function inpaintFill() {
  const ip = state.inpaint;
  if (!ip.mask) { status('load a record first', true); return; }
  if (!ip.mask.some((v) => v)) { status('paint over some pixels first', true); return; }
  const method = $('inpaint-method').value;
  const j = await (await api('/api/inpaint', { index: ip.index, mask: Array.from(ip.mask), method })).json();
  $('inpaint-result').replaceChildren(
    el('figure', {}, [pngImg(j.masked, 'masked'), el('figcaption', { textContent: 'masked' })]),
    el('figure', { id: 'inpaint-filled' }, [pngImg(j.filled, 'filled'), el('figcaption', { textContent: 'filled' })]),
    el('figure', {}, [pngImg(j.original, 'original'), el('figcaption', { textContent: 'original' })]),
  );
  $('inpaint-info').textContent = j.missing + ' pixels filled; squared error on them ' + fmt(j.squaredError, 3);
}

// ------------------------------------------------------------------------------------------- model card

function flatten(obj, prefix, out) {
  for (const [k, v] of Object.entries(obj || {})) {
    const key = prefix ? prefix + '.' + k : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flatten(v, key, out);
    else out.push([key, Array.isArray(v) ? v.join(', ') : (typeof v === 'number' && !Number.isInteger(v) ? fmt(v, 4) : String(v))]);
  }
  return out;
}

function fillTable(id, rows) {
  $(id).replaceChildren(...rows.map(([k, v]) => el('tr', {}, [el('td', { textContent: k }), el('td', { textContent: v })])));
}

function bar(percent) {
  const b = el('div', { className: 'kl-bar' });
  b.style.width = percent.toFixed(1) + '%'; // CSSOM, allowed by the page's content security policy
  return b;
}

function buildCard() {
  const info = state.info;
  fillTable('config-table', [['name', info.name], ['parameters', String(info.parameters)], ...flatten(info.config, '', [])]);
  const prov = Object.assign({}, info.provenance || {});
  delete prov.finalMetrics;
  fillTable('provenance-table', info.provenance ? flatten(prov, '', []) : [['', 'no provenance.json']]);
  fillTable('metrics-table', info.metrics ? flatten(info.metrics, '', []) : [['', 'none recorded']]);
  const bars = $('kl-bars');
  if (!info.scores) {
    bars.replaceChildren(el('p', { className: 'muted small', textContent: info.data && info.unavailable.encode ? info.unavailable.encode : 'needs data (--data)' }));
    return;
  }
  const max = Math.max(...info.scores, 1e-9);
  bars.replaceChildren(...info.order.map((d) => el('div', { className: 'kl-row' }, [
    el('span', { textContent: 'z' + d }),
    bar(100 * info.scores[d] / max),
    el('span', { textContent: fmt(info.scores[d]) }),
  ])));
}

// ------------------------------------------------------------------------------------------- start

function guard(fn) {
  return (...args) => Promise.resolve().then(() => fn(...args)).then(() => status('')).catch((e) => status(e.message, true));
}

async function main() {
  state.info = await (await api('/api/info')).json();
  const info = state.info;
  const type = info.config.model && typeof info.config.model === 'object' ? info.config.model.type : info.config.model;
  $('model-name').textContent = info.name + ' · ' + type + ' · latent ' + info.latent
    + (info.data ? ' · data ' + info.data.name + ' (' + servedRecords(info.data) + ')' : ' · no data');
  applyPanels();
  buildLabelPicker();
  buildSliders();
  buildCard();
  const hasData = !!info.data;
  for (const id of ['reset', 'record-index', 'inpaint-load', 'inpaint-fill', 'inpaint-index']) $(id).disabled = !hasData;
  $('inpaint-section').classList.toggle('disabled', !hasData || !info.image);
  $('record-index').max = hasData ? info.data.records - 1 : 0;
  $('inpaint-index').max = hasData ? info.data.records - 1 : 0;
  $('trav-dims').max = info.latent;
  $('trav-dims').value = Math.min(6, info.latent);

  $('reset').addEventListener('click', guard(() => loadRecord(Number($('record-index').value) || 0)));
  $('randomise').addEventListener('click', () => setCode(Array.from({ length: info.latent }, gaussian), 'random draw from N(0, I)'));
  $('zero').addEventListener('click', () => setCode(new Array(info.latent).fill(0), 'zeros'));
  $('upload').addEventListener('change', guard(() => { const f = $('upload').files[0]; if (f) return uploadImage(f); }));
  $('traverse').addEventListener('click', guard(traverse));
  $('sample').addEventListener('click', guard(sample));
  $('inpaint-load').addEventListener('click', guard(inpaintLoad));
  $('inpaint-fill').addEventListener('click', guard(inpaintFill));
  $('inpaint-clear').addEventListener('click', () => { if (state.inpaint.mask) { state.inpaint.mask.fill(0); drawInpaint(); } });
  const ic = $('inpaint-canvas');
  ic.addEventListener('pointerdown', (e) => { state.inpaint.painting = true; ic.setPointerCapture(e.pointerId); paintAt(e); });
  ic.addEventListener('pointermove', (e) => { if (state.inpaint.painting) paintAt(e); });
  ic.addEventListener('pointerup', () => { state.inpaint.painting = false; });
  ic.addEventListener('pointercancel', () => { state.inpaint.painting = false; });
  $('map').addEventListener('click', mapClick);

  if (hasData && can('encode')) {
    await loadRecord(0);
    if (info.image && can('inpaint')) await inpaintLoad();
    if (info.data.map) {
      state.map = await (await api('/api/map')).json();
      $('map-desc').textContent = state.map.description + ' · ' + state.map.n + ' test records'
        + (state.map.labels ? ', coloured by label' : '');
      drawMap();
      drawLegend();
    }
  } else {
    setCode(new Array(info.latent).fill(0), 'zeros');
  }
  if (can('traverse')) await traverse();
  // the prior-samples panel is filled at load, not left empty until clicked
  if (can('sample')) await sample();
  document.body.dataset.ready = 'true';
}

main().catch((e) => status('could not start: ' + e.message, true));
