import { api, el, requireSignIn, copyButton, confirmAction, progressBar, notify, every, localHours, formatDate,
  showError, clearErrors, STATUS_LABELS } from './api.js';
import { uploadAudience, reportView } from './audience.js';
import { chart } from './chart.js';

const id = location.pathname.split('/')[2];
const LABELS = { start: 'Start', pause: 'Pause', resume: 'Resume', stop: 'Stop', delete: 'Delete' };
let last = {};
const pages = [0];
const names = {};

/** Names of the channels, managers, AI profiles and integrations a task refers to (ids where unknown). */
async function loadNames() {
  await Promise.all(['/api/channels', '/api/managers', '/api/ai-profiles', '/api/integrations'].map(path =>
    api('GET', path).then(r => r.items.forEach(item => { names[item.id] = item.name; })).catch(() => {})));
}

const named = id => names[id] || id;

async function refresh() {
  try {
    const task = await api('GET', '/api/tasks/' + id);
    render(task);
  } catch (e) {
    notify(e.status === 404 ? 'This task does not exist (it may have been deleted).' : 'Could not load the task: ' + e.message, 'error');
  }
}

function changedPart(name, value) {
  const key = JSON.stringify(value);
  if (last[name] === key) return false;
  last[name] = key;
  return true;
}

function render(t) {
  if (changedPart('head', [t.name, t.status])) {
    document.title = t.name + ' · Parley';
    document.getElementById('task-name').textContent = t.name;
    const status = document.getElementById('task-status');
    status.textContent = STATUS_LABELS[t.status] || t.status;
    status.className = 'badge ' + t.status;
    document.getElementById('task-id').textContent = t.id;
    document.getElementById('copy-slot').replaceChildren(copyButton(t.id));
  }
  if (changedPart('actions', t.actions)) {
    const finished = t.actions.includes('delete');
    const edit = finished ? null : el('a', { class: 'button', href: `/tasks/${t.id}/edit`, text: 'Edit' });
    // A finished task's dialogues stay answerable until the marketer closes them (repeatable: it closes what is left).
    const close = finished ? el('button', { type: 'button', 'data-action': 'close-dialogues', text: 'Close its dialogues',
      onclick: () => closeDialogues(t) }) : null;
    document.getElementById('task-actions').replaceChildren(...t.actions.map(action => el('button', {
      type: 'button', 'data-action': action, class: action === 'delete' ? 'danger' : (action === 'start' ? 'primary' : ''),
      text: t.status === 'paused' && action === 'start' ? 'Resume' : LABELS[action] || action,
      onclick: () => act(t, action),
    })), ...[close, edit].filter(Boolean));
  }
  const p = t.progress;
  if (changedPart('progress', p)) {
    document.getElementById('progress').replaceChildren(progressBar(p));
    const counters = [['pending', p.pending], ['sending', p.sending], ['sent', p.sent], ['failed', p.failed],
      ['skipped', p.skipped], ['unknown', p.unknown], ['remaining', t.remaining], ['dialogues', p.dialogues],
      ['succeeded', p.succeeded], ['spent, USD', p.spend]];
    document.getElementById('counters').replaceChildren(...counters.map(([label, value]) =>
      el('div', { class: 'counter', 'data-counter': label }, el('b', { text: String(value ?? 0) }), el('span', { text: label }))));
  }
  if (changedPart('dialogues', p.dialogues)) stats(); // the chart follows new dialogues as they open
  if (changedPart('facts', [t.updatedAt])) facts(t);
  const links = t.telegram && t.telegram.deepLinks;
  if (changedPart('links', links || null)) deepLinks(links);
}

function facts(t) {
  const opening = t.openingMessage ? (t.openingMessage.text || `template ${t.openingMessage.template.name} (${t.openingMessage.template.language})`) : '—';
  const rows = [
    ['Type', t.type], ['Format', t.format === 'incoming' ? 'incoming only' : 'incoming and outgoing'],
    ['Channels', t.channels.map(named).join(', ')],
    ['Managers', `${t.managers.map(named).join(', ')} (${(t.managerAssignment || '').replace('_', ' ')})`],
    ['AI profile', named(t.ai)], ['Integration', t.integration ? named(t.integration) : 'none'], ['Spend limit per dialogue', '$' + t.spendLimitPerDialogue],
    ['Working hours', t.workingHours ? localHours(t.workingHours.from, t.workingHours.to) : '—'],
    ['Per channel per day', t.dailyLimitPerChannel ?? '—'], ['Pause between dialogues', t.pauseBetweenDialogues ? t.pauseBetweenDialogues + ' s' : '—'],
    ['Opening message', opening], ['Created', formatDate(t.createdAt)], ['Started', formatDate(t.startedAt)], ['Finished', formatDate(t.finishedAt)],
  ];
  document.getElementById('facts').replaceChildren(...rows.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: String(v) })]));
}

/** Shown when the task carries them: a list of links, or of {bot/channel, url/link} objects. */
function deepLinks(links) {
  const section = document.getElementById('deep-links');
  const list = Array.isArray(links) ? links : links && typeof links === 'object' ? Object.entries(links).map(([k, v]) => ({ channel: k, url: v })) : [];
  section.hidden = list.length === 0;
  document.getElementById('deep-link-list').replaceChildren(...list.map(item => {
    const url = typeof item === 'string' ? item : item.url || item.link;
    const who = typeof item === 'string' ? null : item.bot || item.username || item.channelName || item.channel;
    return el('li', {}, who ? `${who}: ` : '', el('a', { href: url, text: url, rel: 'noopener' }), ' ', copyButton(url));
  }));
}

async function act(t, action) {
  if (action === 'delete' && !await confirmAction(`Delete the task "${t.name}" and its audience? This cannot be undone.`, 'Delete task')) return;
  if (action === 'stop' && !await confirmAction(`Stop "${t.name}"? A stopped task cannot be started again. Its dialogues stay answerable until you close them.`, 'Stop task')) return;
  try {
    if (action === 'delete') {
      await api('DELETE', '/api/tasks/' + t.id);
      location.href = '/tasks';
      return;
    }
    render(await api('POST', `/api/tasks/${t.id}/${action}`));
    notify(`${LABELS[action]}: done.`, 'ok');
  } catch (e) {
    notify(`Could not ${action} the task: ${e.message}`, 'error');
  }
}

async function closeDialogues(t) {
  if (!await confirmAction(`Close every dialogue of "${t.name}" that is still open? Neither the AI nor the managers answer a closed dialogue.`, 'Close dialogues')) return;
  try {
    const { closed } = await api('POST', `/api/tasks/${t.id}/close-dialogues`);
    notify(closed === 0 ? 'No dialogue was left open.' : `Closed ${closed} dialogue${closed === 1 ? '' : 's'}.`, 'ok');
  } catch (e) {
    notify('Could not close the dialogues: ' + e.message, 'error');
  }
}

async function stats() {
  try {
    chart(document.getElementById('chart'), await api('GET', `/api/tasks/${id}/stats?hours=24`));
  } catch (e) {
    document.getElementById('chart').replaceChildren(el('p', { class: 'muted', text: 'The chart could not be loaded: ' + e.message }));
  }
}

async function audience() {
  const state = document.getElementById('audience-state').value;
  const after = pages[pages.length - 1];
  const params = new URLSearchParams({ limit: '50', after: String(after) });
  if (state) params.set('state', state);
  try {
    const page = await api('GET', `/api/tasks/${id}/audience?${params}`);
    document.querySelector('#audience tbody').replaceChildren(...(page.items.length ? page.items.map(a => el('tr', {},
      el('td', { 'data-label': 'Line', text: String(a.line) }),
      el('td', { 'data-label': 'Contact', class: 'mono', text: a.address }),
      el('td', { 'data-label': 'State' }, el('span', { class: 'badge ' + a.state, text: a.state })),
      el('td', { 'data-label': 'Reason', text: a.reason || '' }),
      el('td', { 'data-label': 'Fields', text: Object.entries(a.fields || {}).map(([k, v]) => `${k}: ${v}`).join(', ') }))) :
      [el('tr', {}, el('td', { colspan: '5', class: 'muted', text: state ? `No contact is ${state}.` : 'No contacts yet.' }))]));
    const next = document.getElementById('audience-next');
    next.disabled = page.next === null || page.next === undefined;
    next.onclick = () => { pages.push(page.next); audience(); };
    document.getElementById('audience-prev').disabled = pages.length < 2;
    document.getElementById('audience-page').textContent = `Page ${pages.length}`;
  } catch (e) {
    notify('Could not load the audience: ' + e.message, 'error');
  }
}

async function upload(event) {
  event.preventDefault();
  const form = event.target;
  clearErrors(form);
  const file = form.file.files[0];
  if (!file && !form.text.value.trim()) {
    showError(form, { field: 'audience', message: 'Type contacts or choose a file first.' });
    return;
  }
  const button = form.querySelector('button[type=submit]');
  button.disabled = true; // one upload at a time: a second click would only report the first one's contacts as duplicates
  try {
    const report = await uploadAudience(id, file, form.text.value);
    document.getElementById('upload-report').replaceChildren(el('h3', { text: 'Import report' }), reportView(report));
    form.text.value = '';
    form.file.value = '';
    refresh();
    audience();
  } catch (e) {
    e.field = e.field || 'audience';
    showError(form, e);
  } finally {
    button.disabled = false;
  }
}

if (requireSignIn()) {
  document.getElementById('audience-state').addEventListener('change', () => { pages.length = 1; audience(); });
  document.getElementById('audience-refresh').addEventListener('click', audience);
  document.getElementById('audience-prev').addEventListener('click', () => { pages.pop(); audience(); });
  const uploadForm = document.getElementById('audience-upload');
  uploadForm.addEventListener('submit', upload);
  uploadForm.querySelector('button[type=submit]').disabled = false; // until now the browser would have sent it as a plain form
  loadNames().then(() => every(3000, refresh));
  every(60000, stats); // outcomes change without new dialogues
  audience();
}
