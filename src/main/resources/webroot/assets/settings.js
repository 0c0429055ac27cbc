import { api, el, requireSignIn, showError, clearErrors, notify, confirmAction, formatDate } from './api.js';
import { form } from './forms.js';
import { SECTIONS } from './sections.js';

const box = document.getElementById('section');

/**
 * One settings section: a table of the resources, a create form (and an edit form where the section has one),
 * and each row's buttons. Errors from the API appear next to the field they name.
 */
async function show(key) {
  const section = SECTIONS[key] || SECTIONS.channels;
  document.querySelectorAll('[data-tab]').forEach(a => a.setAttribute('aria-current', String(a.dataset.tab === section.key)));
  document.title = section.title + ' · Settings · Parley';
  const list = el('div', { class: 'table-wrap' });
  const after = el('div', { 'aria-live': 'polite' });
  const createForm = form('New ' + section.one, section.fields(), 'Create');
  createForm.dataset.form = 'create-' + section.key;
  const editSlot = el('div');
  box.replaceChildren(el('h2', { text: section.title }), el('p', { class: 'muted', text: section.intro || '' }),
    list, after, editSlot, createForm);
  section.wire?.(createForm);

  async function reload() {
    try {
      const { items } = await api('GET', section.path);
      list.replaceChildren(table(section, items, { edit, remove, extra: (item, action) => action(item, after, reload) }));
    } catch (e) {
      list.replaceChildren(el('p', { class: e.status === 403 ? 'muted' : 'notice error', text: e.status === 403
        ? `Only ${section.key === 'tokens' ? 'an admin' : 'a marketer or an admin'} can see ${section.title.toLowerCase()}.` : 'Could not load: ' + e.message }));
      if (e.status === 403) createForm.hidden = true;
    }
  }

  createForm.addEventListener('submit', async event => {
    event.preventDefault();
    clearErrors(createForm);
    try {
      const created = await api('POST', section.path, section.body(createForm));
      after.replaceChildren(...[].concat(section.created?.(created) || []));
      notify(`${section.one[0].toUpperCase() + section.one.slice(1)} “${created.name}” created.`, 'ok');
      createForm.reset();
      section.wire?.(createForm);
      await reload();
    } catch (e) {
      showError(createForm, e);
    }
  });

  function edit(item) {
    if (!section.edit) return;
    const f = form(`Edit ${section.one} “${item.name}”`, section.fields(item), 'Save');
    f.dataset.form = 'edit-' + section.key;
    f.append(el('button', { type: 'button', text: 'Cancel', onclick: () => f.remove() }));
    section.wire?.(f, item);
    f.addEventListener('submit', async event => {
      event.preventDefault();
      clearErrors(f);
      try {
        await api('PATCH', `${section.path}/${item.id}`, section.edit(f, item));
        notify(`“${item.name}” saved.`, 'ok');
        f.remove();
        await reload();
      } catch (e) {
        showError(f, e);
      }
    });
    editSlot.replaceChildren(f);
    f.querySelector('input, select, textarea')?.focus();
  }

  async function remove(item) {
    const sure = await confirmAction(`${section.deleteVerb || 'Delete'} ${section.one} “${item.name}”?`, section.deleteVerb || 'Delete');
    if (!sure) return;
    try {
      await api('DELETE', `${section.path}/${item.id}`);
      notify(`“${item.name}” ${section.deleteVerb === 'Revoke' ? 'revoked' : 'deleted'}.`, 'ok');
      await reload();
    } catch (e) {
      notify(`Could not delete “${item.name}”: ${e.message}`, 'error');
    }
  }

  await reload();
}

function table(section, items, handlers) {
  if (!items.length) return el('p', { class: 'muted', text: `No ${section.title.toLowerCase()} yet.` });
  const head = el('tr', {}, section.columns.map(([label]) => el('th', { scope: 'col', text: label })), el('th', { scope: 'col', text: 'Actions' }));
  const rows = items.map(item => el('tr', { 'data-id': item.id },
    section.columns.map(([label, render]) => el('td', { 'data-label': label }, render(item, formatDate))),
    el('td', { 'data-label': 'Actions' }, el('div', { class: 'actions' },
      section.edit ? el('button', { type: 'button', class: 'small', text: 'Edit', 'aria-label': `Edit ${item.name}`, onclick: () => handlers.edit(item) }) : null,
      (section.actions || []).map(([label, action]) => el('button', { type: 'button', class: 'small', text: label,
        'aria-label': `${label} ${item.name}`, onclick: () => handlers.extra(item, action) })),
      el('button', { type: 'button', class: 'small danger', text: section.deleteVerb || 'Delete', 'aria-label': `${section.deleteVerb || 'Delete'} ${item.name}`,
        onclick: () => handlers.remove(item) })))));
  return el('table', { class: 'stack', 'data-table': section.key }, el('thead', {}, head), el('tbody', {}, rows));
}

if (requireSignIn()) {
  const route = () => show(location.hash.slice(1) || 'channels').catch(e => notify(e.message, 'error'));
  window.addEventListener('hashchange', route);
  route();
}
