// Shared by every page: the signed-in token, calls to /api, error messages next to fields, small helpers.
const TOKEN_KEY = 'parley.token';

export function token() {
  return sessionStorage.getItem(TOKEN_KEY) || localStorage.getItem(TOKEN_KEY);
}

export function signIn(value, remember) {
  signOut();
  (remember ? localStorage : sessionStorage).setItem(TOKEN_KEY, value);
}

export function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  localStorage.removeItem(TOKEN_KEY);
}

/** A failed call: the API's {code, message, field}, or a network failure put in the same words. */
export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

/** Calls the API with the bearer token; JSON bodies unless `raw` gives a body and its Content-Type. */
export async function api(method, path, body, raw) {
  const headers = { Authorization: 'Bearer ' + token() };
  let payload;
  if (raw) {
    headers['Content-Type'] = raw.type;
    payload = raw.body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body: payload });
  } catch (e) {
    throw new ApiError(0, 'network', 'Parley could not be reached; check the connection and try again.', null);
  }
  if (response.status === 401) {
    signOut();
    location.href = '/?next=' + encodeURIComponent(location.pathname + location.search);
    throw new ApiError(401, 'unauthorized', 'Your token is not valid any more; sign in again.', null);
  }
  if (response.status === 204) return null;
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    json = null;
  }
  if (!response.ok) {
    const error = json && json.error ? json.error : {};
    throw new ApiError(response.status, error.code || 'http_' + response.status,
      error.message || `The server answered ${response.status}.`, error.field || null);
  }
  return json;
}

/** Sends visitors without a token to the sign-in page. */
export function requireSignIn() {
  if (!token()) {
    location.href = '/?next=' + encodeURIComponent(location.pathname + location.search);
    return false;
  }
  document.querySelector('[data-action=sign-out]')?.addEventListener('click', () => {
    signOut();
    location.href = '/';
  });
  return true;
}

/** Creates an element: el('td', {class: 'x', text: 'y'}, child, ...). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') node.textContent = value;
    else if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Clears the messages a form shows. */
export function clearErrors(form) {
  form.querySelectorAll('.field-error').forEach(e => { e.textContent = ''; e.hidden = true; });
  form.querySelectorAll('[aria-invalid]').forEach(e => e.removeAttribute('aria-invalid'));
  const banner = form.querySelector('.form-error');
  if (banner) { banner.textContent = ''; banner.hidden = true; }
}

/**
 * Shows an API error next to the field it names: the closest [data-field] for "workingHours.from",
 * "audience[3]" or "openingMessage.template.name" (trying shorter paths), else in the form's banner.
 */
export function showError(form, error) {
  clearErrors(form);
  const message = error.message || String(error);
  let path = error.field;
  while (path) {
    const box = form.querySelector(`[data-field="${CSS.escape(path)}"]`);
    if (box) {
      const slot = box.querySelector('.field-error');
      slot.textContent = message;
      slot.hidden = false;
      const input = box.querySelector('input:not([disabled]), select:not([disabled]), textarea:not([disabled])');
      if (input) {
        input.setAttribute('aria-invalid', 'true');
        input.focus();
      }
      return;
    }
    path = shorter(path);
  }
  const banner = form.querySelector('.form-error');
  banner.textContent = message;
  banner.hidden = false;
  banner.focus();
}

function shorter(path) {
  if (path.endsWith(']')) return path.slice(0, path.lastIndexOf('['));
  const dot = path.lastIndexOf('.');
  return dot > 0 ? path.slice(0, dot) : null;
}

/** A status line for the whole page ("Saved", "Could not load ..."), read out by screen readers. */
export function notify(message, kind = 'info') {
  const box = document.getElementById('notice');
  if (!box) return;
  box.textContent = message;
  box.className = 'notice ' + kind;
  box.hidden = !message;
}

/** A button that copies `value` and says so. */
export function copyButton(value, label = 'Copy') {
  const button = el('button', { type: 'button', class: 'small copy', 'aria-label': `${label} ${value}`, text: label });
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(value);
      button.textContent = 'Copied';
    } catch (e) {
      const range = document.createRange();
      range.selectNodeContents(button.previousElementSibling || button);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      button.textContent = 'Selected: press Ctrl+C';
    }
    setTimeout(() => { button.textContent = label; }, 2000);
  });
  return button;
}

/** Asks a yes/no question in a modal <dialog>; resolves true when confirmed. */
export function confirmAction(question, confirmLabel) {
  return new Promise(resolve => {
    const yes = el('button', { type: 'button', class: 'danger', text: confirmLabel });
    const no = el('button', { type: 'button', text: 'Cancel' });
    const dialog = el('dialog', { class: 'confirm', 'aria-label': question },
      el('p', { text: question }), el('div', { class: 'buttons' }, no, yes));
    const close = answer => { dialog.close(); dialog.remove(); resolve(answer); };
    yes.addEventListener('click', () => close(true));
    no.addEventListener('click', () => close(false));
    dialog.addEventListener('cancel', () => close(false));
    document.body.append(dialog);
    dialog.showModal();
    no.focus();
  });
}

/** "6–15 UTC = 9–18 in Europe/Moscow": a UTC hour range in the browser's own time zone. */
export function localHours(from, to) {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'your time zone';
  const day = new Date();
  const local = hour => {
    const d = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hour % 24));
    const h = d.getHours();
    const m = d.getMinutes();
    return m ? `${h}:${String(m).padStart(2, '0')}` : String(h === 0 && hour === 24 ? 24 : h);
  };
  const utc = `${from}–${to} UTC`;
  if (from === 0 && to === 24) return `${utc}: the whole day`;
  if (zone === 'UTC' || zone === 'Etc/UTC') return `${utc} (your time zone is UTC)`;
  return `${utc} = ${local(from)}–${local(to)} in ${zone}`;
}

export function formatDate(iso) {
  return iso ? new Date(iso).toLocaleString() : '—';
}

/** The progress bar of a task: sent, failed, skipped, unknown and pending as segments, with words. */
export function progressBar(counts) {
  const c = counts || {};
  const parts = [
    ['sent', c.sent || 0], ['failed', c.failed || 0], ['skipped', c.skipped || 0],
    ['unknown', c.unknown || 0], ['pending', (c.pending || 0) + (c.sending || 0)],
  ];
  const total = parts.reduce((sum, [, n]) => sum + n, 0);
  const bar = el('div', { class: 'bar', role: 'img' });
  for (const [state, n] of parts) {
    if (!n) continue;
    const segment = el('span', { class: 'seg ' + state, title: `${n} ${state}` });
    segment.style.width = (100 * n / total) + '%';
    bar.append(segment);
  }
  const words = parts.filter(([state, n]) => n || state !== 'unknown').map(([state, n]) => `${n} ${state}`).join(' · ');
  bar.setAttribute('aria-label', total ? words : 'no audience yet');
  return el('div', { class: 'progress', 'data-total': total },
    bar, el('div', { class: 'progress-text', text: total ? words : 'no audience yet' }));
}

/** Calls fn every `ms` while the page is visible (and once now). */
export function every(ms, fn) {
  let timer = null;
  const tick = async () => {
    try {
      await fn();
    } finally {
      timer = setTimeout(tick, ms);
    }
  };
  tick();
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && timer) {
      clearTimeout(timer);
      tick();
    }
  });
}

export const STATUS_LABELS = {
  awaiting: 'Awaiting', in_progress: 'In progress', paused: 'Paused', stopped: 'Stopped', completed: 'Completed',
};
export const TYPES = ['telegram', 'whatsapp', 'vk', 'avito', 'web', 'instagram'];
