import { el } from './api.js';

/** A labelled field whose errors the API can address by `path` (see showError). */
export function field(path, label, input, hint) {
  const id = 'f-' + path.replace(/[^A-Za-z0-9]+/g, '-');
  input.id = id;
  if (!input.name) input.name = path;
  const hintNode = hint ? el('div', { class: 'hint', id: id + '-hint', text: hint }) : null;
  if (hint) input.setAttribute('aria-describedby', id + '-hint');
  return el('div', { class: 'field', 'data-field': path },
    el('label', { for: id, text: label }), input, hintNode, el('div', { class: 'field-error', role: 'alert', hidden: true }));
}

export function input(attrs = {}) {
  return el('input', attrs);
}

export function select(options, value) {
  const node = el('select', {}, options.map(o => {
    const [v, label] = Array.isArray(o) ? o : [o, o];
    return el('option', { value: v, text: label });
  }));
  if (value !== undefined) node.value = value;
  return node;
}

export function textarea(attrs = {}) {
  return el('textarea', attrs);
}

/** A form with an error banner on top and a submit button. */
export function form(title, children, submitLabel) {
  return el('form', { class: 'card', novalidate: true, 'aria-label': title },
    el('h2', { text: title }), el('div', { class: 'form-error', role: 'alert', tabindex: '-1', hidden: true }),
    children, el('div', { class: 'inline' }, el('button', { type: 'submit', class: 'primary', text: submitLabel })));
}

/** The value of the named control, trimmed; undefined when empty (so the API says what is missing). */
export function value(f, name) {
  const control = f.elements[name];
  if (!control) return undefined;
  const v = control.value.trim();
  return v === '' ? undefined : v;
}

/** A secret shown once, with a warning that it will not be shown again. */
export function secretBox(label, secret) {
  return el('div', { class: 'secret', role: 'status' }, el('b', { text: label + ' (shown only now; keep it safe): ' }),
    el('code', { class: 'mono', 'data-secret': '', text: secret }));
}
