import { api, el, requireSignIn, copyButton, confirmAction, progressBar, notify, every, STATUS_LABELS } from './api.js';

const ACTION_LABELS = { start: 'Start', pause: 'Pause', resume: 'Resume', stop: 'Stop', delete: 'Delete' };
const filters = document.getElementById('filters');
const body = document.querySelector('#tasks tbody');
const rows = new Map();

function query() {
  const params = new URLSearchParams();
  if (filters.status.value) params.set('status', filters.status.value);
  if (filters.type.value) params.set('type', filters.type.value);
  return params.toString();
}

async function refresh() {
  try {
    const { items } = await api('GET', '/api/tasks' + (query() ? '?' + query() : ''));
    render(items);
  } catch (e) {
    notify('Could not load the tasks: ' + e.message, 'error');
  }
}

function render(items) {
  const seen = new Set();
  items.forEach((task, index) => {
    seen.add(task.id);
    let row = rows.get(task.id);
    if (!row) {
      row = newRow(task);
      rows.set(task.id, row);
    }
    update(row, task);
    if (body.children[index] !== row.tr) body.insertBefore(row.tr, body.children[index] || null);
  });
  for (const [id, row] of rows) {
    if (!seen.has(id)) {
      row.tr.remove();
      rows.delete(id);
    }
  }
  document.getElementById('empty').hidden = items.length > 0;
}

function cell(label, ...children) {
  return el('td', { 'data-label': label }, ...children);
}

function newRow(task) {
  const row = { tr: el('tr', { 'data-task': task.id }), key: {} };
  row.cells = {
    id: cell('ID', el('span', { class: 'mono', text: task.id }), ' ', copyButton(task.id)),
    name: cell('Name'), type: cell('Type'), ai: cell('AI'), managers: cell('Managers'),
    remaining: cell('Remaining'), status: cell('Status'), progress: cell('Progress'), actions: cell('Actions'),
  };
  row.tr.append(...Object.values(row.cells));
  return row;
}

/** Rewrites only the cells whose data changed, so focus and buttons survive the live refresh. */
function update(row, task) {
  const set = (name, key, build) => {
    const k = JSON.stringify(key);
    if (row.key[name] === k) return;
    row.key[name] = k;
    row.cells[name].replaceChildren(...[].concat(build()));
  };
  set('name', task.name, () => el('a', { href: '/tasks/' + task.id, text: task.name }));
  set('type', [task.type, task.format], () => [task.type, el('div', { class: 'muted', text: task.format.replace('_', ' + ') })]);
  set('ai', task.ai, () => task.ai.name || task.ai.id);
  set('managers', task.managers, () => task.managers.map(m => m.name || m.id).join(', '));
  set('remaining', task.remaining, () => String(task.remaining));
  set('status', task.status, () => el('span', { class: 'badge ' + task.status, text: STATUS_LABELS[task.status] || task.status }));
  set('progress', task.counts, () => progressBar(task.counts));
  set('actions', [task.actions, task.status, task.name], () => el('div', { class: 'actions' },
    task.actions.map(action => {
      const label = task.status === 'paused' && action === 'start' ? 'Resume' : (ACTION_LABELS[action] || action);
      return el('button', {
        type: 'button', class: 'small' + (action === 'delete' ? ' danger' : ''), 'data-action': action,
        'aria-label': `${label} ${task.name}`, text: label, onclick: () => act(task, action),
      });
    })));
}

async function act(task, action) {
  if (action === 'delete') {
    const sure = await confirmAction(`Delete the task "${task.name}" and its audience? This cannot be undone.`, 'Delete task');
    if (!sure) return;
  }
  if (action === 'stop') {
    const sure = await confirmAction(`Stop "${task.name}"? A stopped task cannot be started again.`, 'Stop task');
    if (!sure) return;
  }
  try {
    if (action === 'delete') await api('DELETE', '/api/tasks/' + task.id);
    else await api('POST', `/api/tasks/${task.id}/${action}`);
    notify(`${ACTION_LABELS[action] || action}: "${task.name}" done.`, 'ok');
  } catch (e) {
    notify(`Could not ${action} "${task.name}": ${e.message}`, 'error');
  }
  await refresh();
}

if (requireSignIn()) {
  const initial = new URLSearchParams(location.search);
  filters.status.value = initial.get('status') || '';
  filters.type.value = initial.get('type') || '';
  filters.addEventListener('change', () => {
    history.replaceState(null, '', '/tasks' + (query() ? '?' + query() : ''));
    refresh();
  });
  every(3000, refresh);
}
