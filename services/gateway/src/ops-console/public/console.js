// The ops console: a page over the gateway's public API for the on-call engineer (docs/adr/0017).
// Everything shown comes from API answers and is put on the page as text (never as HTML): order
// data and error texts are other people's input.

const KEY_STORAGE = 'skald.ops.key';
const LANE_ORDER = ['gateway', 'orders', 'inventory', 'warehouse', 'returns', 'notifications'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RMA = /^RMA-\d{4}-\d+$/i;
const REFRESH_MS = 3000;

const $ = (id) => document.getElementById(id);
let refreshTimer;

/** An element with attributes and children (strings become text nodes). */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attrs)) if (value !== undefined) el.setAttribute(name, String(value));
  for (const child of children.flat()) if (child !== undefined && child !== null) el.append(child instanceof Node ? child : String(child));
  return el;
}

class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.status = status;
    this.code = problem?.code;
  }
}

async function api(method, path, body) {
  const headers = { authorization: `Bearer ${sessionStorage.getItem(KEY_STORAGE)}`, accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method === 'POST') headers['idempotency-key'] = crypto.randomUUID();
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  const json = text ? JSON.parse(text) : undefined;
  if (res.status === 401) {
    signOut('The key was refused; sign in again.');
    throw new ApiError(401, json);
  }
  if (!res.ok) throw new ApiError(res.status, json);
  return json;
}

const time = (iso) => (iso ? new Date(iso).toISOString().replace('T', ' ').replace('Z', '') : '');
const short = (id) => (id ? String(id).slice(0, 8) : '');

function show(...nodes) {
  // A view is a list of nodes that may hold lists (and nulls for what it leaves out), as h() takes children.
  $('view').replaceChildren(...nodes.flat(Infinity).filter((node) => node !== undefined && node !== null && node !== false));
}

function problem(error) {
  return h('p', { class: 'error', role: 'alert' }, error instanceof ApiError ? `${error.status} ${error.code ?? ''}: ${error.message}` : String(error.message ?? error));
}

// ---- sign in

function signedIn() {
  return !!sessionStorage.getItem(KEY_STORAGE);
}

function signOut(message) {
  sessionStorage.removeItem(KEY_STORAGE);
  clearTimeout(refreshTimer);
  $('sign-in').hidden = false;
  $('search').hidden = true;
  $('nav').hidden = true;
  $('sign-in-error').textContent = message ?? '';
  show();
}

async function signIn(event) {
  event.preventDefault();
  const key = $('api-key').value.trim();
  if (!key) return;
  sessionStorage.setItem(KEY_STORAGE, key);
  try {
    await api('GET', '/v1/sagas?state=stuck&limit=1');
  } catch (error) {
    sessionStorage.removeItem(KEY_STORAGE);
    $('sign-in-error').textContent = error.status === 403 ? 'This key has no ops role.' : `Sign-in failed: ${error.message}`;
    return;
  }
  $('api-key').value = '';
  $('sign-in').hidden = true;
  $('search').hidden = false;
  $('nav').hidden = false;
  route();
}

// ---- saga

/** The saga as swimlanes: one lane per service, a dot per step in time order, an arrow per message. */
function swimlanes(entries, pending, gaps) {
  const services = new Set([...entries.map((e) => e.service), ...gaps.map((g) => g.service)]);
  const lanes = [...LANE_ORDER.filter((s) => services.has(s)), ...[...services].filter((s) => !LANE_ORDER.includes(s))];
  const laneY = new Map(lanes.map((s, i) => [s, 30 + i * 44]));
  const stepX = (i) => 140 + i * 30;
  const width = stepX(entries.length + (pending ? 1 : 0)) + 60;
  const height = 30 + lanes.length * 44;
  const root = svg('svg', { width, height, role: 'img', 'aria-label': 'saga swimlanes' },
    svg('defs', {}, svg('marker', { id: 'arrowhead', markerWidth: 8, markerHeight: 8, refX: 7, refY: 4, orient: 'auto' }, svg('path', { d: 'M0,0 L8,4 L0,8 z', fill: '#8c959f' }))));
  for (const service of lanes) {
    const y = laneY.get(service);
    const gap = gaps.find((g) => g.service === service);
    root.append(svg('line', { class: 'lane', x1: 130, x2: width - 10, y1: y, y2: y }));
    root.append(svg('text', { class: 'lane-name', x: 8, y: y + 4, fill: gap ? '#c62828' : undefined }, gap ? `${service} (gap)` : service));
  }
  const published = new Map();
  entries.forEach((entry, i) => {
    if (entry.kind === 'message.published' && entry.messageId && !published.has(entry.messageId)) published.set(entry.messageId, i);
  });
  entries.forEach((entry, i) => {
    const from = entry.messageId ? published.get(entry.messageId) : undefined;
    if (from === undefined || from === i || entries[from].service === entry.service) return;
    if (!['message.handled', 'message.dead-lettered'].includes(entry.kind)) return;
    const [x1, y1, x2, y2] = [stepX(from), laneY.get(entries[from].service), stepX(i), laneY.get(entry.service)];
    root.append(svg('path', { class: `arrow${entry.failure ? ' failure' : ''}`, d: `M${x1},${y1} C${(x1 + x2) / 2},${y1} ${(x1 + x2) / 2},${y2} ${x2 - 6},${y2}` }));
  });
  entries.forEach((entry, i) => {
    root.append(svg('circle', { class: `step${entry.failure ? ' failure' : ''}`, cx: stepX(i), cy: laneY.get(entry.service), r: 6, 'data-kind': entry.kind },
      svg('title', {}, `${time(entry.at)} ${entry.service} ${entry.kind}: ${entry.summary}`)));
  });
  if (pending) {
    const service = pending.service && laneY.has(pending.service) ? pending.service : lanes[0];
    const x = stepX(entries.length);
    root.append(svg('circle', { class: 'step pending', cx: x, cy: laneY.get(service) ?? 30, r: 7, 'data-kind': 'pending' },
      svg('title', {}, `waiting: ${(pending.waitingFor ?? []).join(', ')}${pending.deadline ? ` until ${time(pending.deadline)}` : ''}`)));
  }
  return h('div', { class: 'lanes', id: 'swimlanes' }, root);
}

function deadLetterActions(letter, onDone) {
  if (!letter.inQueue) return h('span', {}, letter.status);
  const reason = h('input', { placeholder: 'reason to discard', 'aria-label': 'discard reason', maxlength: 500 });
  const message = h('span', { class: 'error', role: 'alert' });
  const act = async (method, path, body) => {
    try {
      await api(method, path, body);
      await onDone();
    } catch (error) {
      message.textContent = error.message;
    }
  };
  return h('div', { class: 'actions' },
    h('button', { type: 'button', 'data-action': 'replay', onclick: () => act('POST', `/v1/dead-letters/${encodeURIComponent(letter.messageId)}/replay`) }, 'Replay'),
    reason,
    h('button', { type: 'button', 'data-action': 'discard', onclick: () => (reason.value.trim() ? act('POST', `/v1/dead-letters/${encodeURIComponent(letter.messageId)}/discard`, { reason: reason.value.trim() }) : (message.textContent = 'Say why first.')) }, 'Discard'),
    message);
}

function deadLetterTable(letters, onDone) {
  if (letters.length === 0) return h('p', {}, 'None.');
  return h('table', { id: 'dead-letters' },
    h('tr', {}, ['Dead-lettered', 'Service', 'Message', 'Reason', 'Error', 'Attempts', 'Saga', 'Status'].map((t) => h('th', {}, t))),
    letters.map((letter) => h('tr', { class: 'failure', 'data-message-id': letter.messageId },
      h('td', {}, time(letter.deadLetteredAt)),
      h('td', {}, letter.service),
      h('td', { class: 'mono', title: letter.messageId }, `${letter.routingKey} ${short(letter.messageId)}`),
      h('td', {}, letter.reason),
      h('td', {}, letter.error),
      h('td', {}, letter.attempts),
      h('td', {}, letter.correlationId ? h('a', { href: `#/saga/${encodeURIComponent(letter.correlationId)}` }, short(letter.correlationId)) : ''),
      h('td', {}, deadLetterActions(letter, onDone)))));
}

const listOf = (answer, ...names) => names.map((name) => answer?.[name]).find(Array.isArray) ?? [];

async function sagaView(id) {
  const [timeline, letters] = await Promise.all([
    api('GET', `/v1/sagas/${encodeURIComponent(id)}`),
    api('GET', `/v1/dead-letters?saga=${encodeURIComponent(id)}`).catch((error) => ({ error })),
  ]);
  const entries = [...(timeline.entries ?? [])];
  const gaps = timeline.gaps ?? [];
  const sagas = timeline.sagas ?? [];
  const pending = timeline.pending ?? undefined;
  const finished = sagas.length > 0 && sagas.every((s) => s.finished);
  const reload = () => sagaView(id).then(show, (error) => show(problem(error)));
  const waiting = pending && !finished
    ? h('div', { class: `pending${pending.overdue ? ' overdue' : ''}`, id: 'pending' }, `${pending.type} ${pending.state}: waiting for ${(pending.waitingFor ?? []).join(', ') || 'the next step'}`,
        pending.deadline ? ` — deadline ${time(pending.deadline)}${pending.overdue ? ' (overdue)' : ''}` : '', pending.stuck ? ' — stuck' : '')
    : null;
  const deadLetters = letters.error ? [problem(letters.error)] : [h('button', { type: 'button', id: 'replay-all', hidden: listOf(letters, 'items', 'deadLetters').every((l) => !l.inQueue), onclick: async () => {
    await api('POST', '/v1/dead-letters/replay', { saga: id }).then(reload, (error) => show(problem(error)));
  } }, 'Replay all of this saga'), deadLetterTable(listOf(letters, 'items', 'deadLetters'), reload)];
  clearTimeout(refreshTimer);
  if (!finished) refreshTimer = setTimeout(() => location.hash === `#/saga/${encodeURIComponent(id)}` && reload(), REFRESH_MS);
  return [
    h('h2', {}, `Saga ${id}`, timeline.orderId ? h('span', {}, ' of order ', h('a', { href: `#/saga/${timeline.orderId}` }, timeline.orderId)) : ''),
    h('p', {}, sagas.map((s) => h('span', {}, `${s.type} `, h('span', { class: `status saga-state${s.finished ? ' finished' : ''}`, 'data-state': s.state }, s.state), ' '))),
    waiting,
    gaps.map((g) => h('div', { class: 'gap' }, `${g.service}: ${g.code ?? 'no answer'} (${g.detail ?? ''}) — its part is missing`)),
    swimlanes(entries, waiting ? { ...pending, service: sagas.find((s) => s.id === pending.sagaId)?.service } : undefined, gaps),
    h('h3', {}, 'Dead letters'),
    deadLetters,
    h('h3', {}, 'Timeline'),
    h('table', { id: 'timeline' },
      h('tr', {}, ['Time', 'Service', 'Step', 'What', 'Attempts', 'ms', 'Trace'].map((t) => h('th', {}, t))),
      entries.map((e) => h('tr', { class: e.failure ? 'failure' : undefined, 'data-kind': e.kind },
        h('td', { class: 'mono' }, time(e.at)), h('td', {}, e.service), h('td', {}, e.kind), h('td', {}, e.summary),
        h('td', {}, e.attempts ?? ''), h('td', {}, e.durationMs ?? ''), h('td', { class: 'mono', title: e.traceId ?? '' }, short(e.traceId))))),
  ];
}

// ---- lists

async function sagasView(state) {
  const answer = await api('GET', `/v1/sagas?state=${state}&limit=100`);
  const items = listOf(answer, 'items', 'sagas');
  return [
    h('h2', {}, 'Sagas that need a look'),
    h('p', {}, ['stuck', 'compensating', 'failed'].map((s) => h('a', { href: `#/stuck/${s}`, style: undefined }, s === state ? `[${s}] ` : `${s} `))),
    items.length === 0 ? h('p', {}, `No ${state} sagas.`) : h('table', { id: 'sagas' },
      h('tr', {}, ['Saga', 'Type', 'Service', 'State', 'Deadline', 'Dead letters', 'Last change'].map((t) => h('th', {}, t))),
      items.map((s) => h('tr', { class: s.stuck || s.deadLetters ? 'failure' : undefined },
        h('td', {}, h('a', { href: `#/saga/${encodeURIComponent(s.id)}` }, s.id)),
        h('td', {}, s.type ?? ''), h('td', {}, s.service), h('td', {}, s.state ?? ''), h('td', {}, time(s.deadline)),
        h('td', {}, s.deadLetters ? `${s.deadLetters} (${s.lastReason ?? ''})` : ''), h('td', {}, time(s.updatedAt))))),
  ];
}

async function deadLettersView() {
  const answer = await api('GET', '/v1/dead-letters');
  const reload = () => deadLettersView().then(show, (error) => show(problem(error)));
  return [h('h2', {}, 'Dead letters'), deadLetterTable(listOf(answer, 'items', 'deadLetters'), reload)];
}

async function customerView(customerId) {
  const answer = await api('GET', `/v1/orders?customerId=${encodeURIComponent(customerId)}&limit=100`);
  const items = listOf(answer, 'items');
  return [
    h('h2', {}, `Orders of customer ${customerId}`),
    items.length === 0 ? h('p', {}, 'No orders of such a customer.') : h('table', { id: 'orders' },
      h('tr', {}, ['Order', 'Platform', 'External id', 'Status', 'Total', 'Placed'].map((t) => h('th', {}, t))),
      items.map((o) => h('tr', {},
        h('td', {}, h('a', { href: `#/saga/${o.id}` }, o.id)), h('td', { class: 'mono' }, short(o.tenantId)), h('td', {}, o.externalId),
        h('td', {}, o.status), h('td', {}, `${o.totalAmount} ${o.currency}`), h('td', {}, time(o.createdAt))))),
  ];
}

async function stockView(sku) {
  const input = h('input', { id: 'sku', value: sku ?? '', placeholder: 'SKU', 'aria-label': 'SKU' });
  const form = h('form', { onsubmit: (event) => { event.preventDefault(); location.hash = `#/stock/${encodeURIComponent(input.value.trim())}`; } },
    input, h('button', { type: 'submit' }, 'Show stock'));
  if (!sku) return [h('h2', {}, 'Stock'), form];
  const stock = await api('GET', `/v1/stock/${encodeURIComponent(sku)}`);
  const row = (name, l) => h('tr', {}, h('td', {}, name), h('td', {}, l.onHand), h('td', {}, l.reserved), h('td', {}, l.quarantined ?? 0), h('td', {}, l.available));
  return [
    h('h2', {}, `Stock of ${sku}`), form,
    h('table', { id: 'stock' },
      h('tr', {}, ['Warehouse', 'On hand', 'Reserved', 'Quarantined', 'Available'].map((t) => h('th', {}, t))),
      (stock.warehouses ?? []).map((w) => row(w.warehouse, w)),
      stock.totals ? row('all', stock.totals) : null),
  ];
}

// ---- routing

async function route() {
  if (!signedIn()) return signOut();
  clearTimeout(refreshTimer);
  const [, page = 'stuck', ...rest] = location.hash.replace(/^#/, '').split('/');
  const arg = rest.length ? decodeURIComponent(rest.join('/')) : undefined;
  const views = {
    saga: () => sagaView(arg),
    customer: () => customerView(arg),
    stuck: () => sagasView(['stuck', 'compensating', 'failed'].includes(arg) ? arg : 'stuck'),
    'dead-letters': () => deadLettersView(),
    stock: () => stockView(arg),
  };
  show(h('p', {}, 'Loading…'));
  try {
    show(...[await (views[page] ?? views.stuck)()].flat());
  } catch (error) {
    show(problem(error));
  }
}

function search(event) {
  event.preventDefault();
  const q = $('search-input').value.trim();
  if (!q) return;
  location.hash = UUID.test(q) || RMA.test(q) ? `#/saga/${encodeURIComponent(q.toUpperCase().startsWith('RMA-') ? q.toUpperCase() : q)}` : `#/customer/${encodeURIComponent(q)}`;
}

$('sign-in').addEventListener('submit', signIn);
$('search').addEventListener('submit', search);
$('sign-out').addEventListener('click', () => signOut());
window.addEventListener('hashchange', route);
if (signedIn()) {
  $('search').hidden = false;
  $('nav').hidden = false;
  route();
} else {
  signOut();
}
