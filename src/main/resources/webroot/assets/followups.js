import { api, el, notify, every } from './api.js';

// Managers' follow-up tasks (GET/PUT /api/manager-tasks): the inbox, future and archive views in the
// browser's own UTC offset, with complete and reschedule on each open task.
const list = document.getElementById('followups');
const view = document.getElementById('followup-view');
const OUTCOMES = ['no_further_action', 'interested_later', 'not_interested', 'no_answer'];
const TYPES = { lead: 'To-do', dialogue_reply: 'Answer the dialogue', dialogue_followup: 'Follow up', integration_failed: 'Callback failed' };

/** The browser's offset from UTC in hours, as the views take it (e.g. 3 for Moscow, -8 for Los Angeles). */
function offset() {
  return String(-new Date().getTimezoneOffset() / 60);
}

async function refresh() {
  const params = new URLSearchParams({ view: view.value, tz_offset: offset(), order_by: view.value === 'archive' ? '-date' : 'date' });
  try {
    const { items } = await api('GET', '/api/manager-tasks?' + params);
    list.replaceChildren(...items.map(item));
    document.getElementById('no-followups').hidden = items.length > 0;
  } catch (e) {
    notify('Could not load the follow-up tasks: ' + e.message, 'error');
  }
}

function item(t) {
  const what = t.text || t.reason || (t.messages ? `${t.messages.length} unread message(s)` : '');
  const head = el('div', {},
    el('b', { text: TYPES[t.type] || t.type }), ' · ', el('span', { text: t.date }),
    t.contact ? el('span', { class: 'muted', text: ' · ' + t.contact }) : null,
    t.outcome ? el('span', { class: 'badge', text: t.outcome }) : null);
  const body = el('div', { text: what });
  const links = t.dialogue ? el('a', { href: '/inbox?dialogue=' + encodeURIComponent(t.dialogue), text: 'Open the dialogue' }) : null;
  if (t.is_complete) return el('li', { 'data-followup': t.id }, head, body, links);
  const outcome = el('select', { 'aria-label': 'Outcome of ' + (what || t.id) },
    ...OUTCOMES.map(o => el('option', { value: o, text: o })));
  const date = el('input', { type: 'date', 'aria-label': 'New date for ' + (what || t.id), value: t.date.slice(0, 10) });
  return el('li', { 'data-followup': t.id }, head, body, links,
    el('div', { class: 'inline' },
      outcome,
      el('button', { type: 'button', class: 'small primary', text: 'Complete', onclick: () =>
        update(t, { is_complete: true, outcome: outcome.value }, 'Completed.') }),
      date,
      el('button', { type: 'button', class: 'small', text: 'Reschedule', onclick: () =>
        date.value ? update(t, { date: date.value }, 'Rescheduled to ' + date.value + '.') : notify('Pick a date first.', 'error') })));
}

async function update(t, change, done) {
  try {
    await api('PUT', '/api/manager-tasks/' + encodeURIComponent(t.id), change);
    notify(done, 'ok');
    await refresh();
  } catch (e) {
    notify('Could not update the task: ' + e.message, 'error');
  }
}

view.addEventListener('change', refresh);
every(10000, refresh);
