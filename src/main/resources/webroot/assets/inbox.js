import { api, el, requireSignIn, showError, clearErrors, notify, every, formatDate } from './api.js';

// The managers' inbox against SPEC §7: GET /api/dialogues, GET /api/dialogues/{id} (with its messages),
// POST .../messages {text}, .../takeover, .../handback, .../close {outcome}.
const AUTHORS = { contact: 'Contact', ai: 'AI', manager: 'Manager', system: 'System' };
const list = document.getElementById('dialogues');
const stateFilter = document.getElementById('inbox-state');
let selected = new URLSearchParams(location.search).get('dialogue');
async function refreshList() {
  const params = new URLSearchParams();
  if (stateFilter.value) params.set('state', stateFilter.value);
  try {
    const { items } = await api('GET', '/api/dialogues' + (params.toString() ? '?' + params : ''));
    list.replaceChildren(...items.map(d => el('li', {}, el('button', {
      type: 'button', 'aria-current': String(d.id === selected), 'data-dialogue': d.id, onclick: () => open(d.id),
    }, el('span', { class: 'inline' }, el('b', { text: d.contact }), el('span', { class: 'badge ' + d.state, text: d.state }),
      d.unread ? el('span', { class: 'unread', 'aria-label': `${d.unread} unread`, text: String(d.unread) }) : null),
    el('span', { class: 'muted', text: d.lastMessage ? `${AUTHORS[d.lastMessage.author] || d.lastMessage.author}: ${d.lastMessage.text}` : formatDate(d.lastMessageAt) })))));
    document.getElementById('no-dialogues').hidden = items.length > 0;
  } catch (e) {
    notify('Could not load the dialogues: ' + e.message, 'error');
  }
}

async function open(id) {
  selected = id;
  history.replaceState(null, '', '/inbox?dialogue=' + encodeURIComponent(id));
  list.querySelectorAll('[data-dialogue]').forEach(b => b.setAttribute('aria-current', String(b.dataset.dialogue === id)));
  await refreshChat();
  document.getElementById('chat').focus?.();
}

async function refreshChat() {
  if (!selected) return;
  try {
    const d = await api('GET', '/api/dialogues/' + selected);
    render(d);
    if (d.unread > 0) { // the manager is looking at it: nothing in it is unread any more
      await api('POST', `/api/dialogues/${d.id}/read`);
      await refreshList();
    }
  } catch (e) {
    notify('Could not load the dialogue: ' + e.message, 'error');
  }
}

function render(d) {
  document.getElementById('chat').hidden = false;
  document.getElementById('chat-title').textContent = `Dialogue with ${d.contact}`;
  document.getElementById('chat-meta').textContent = `State: ${d.state}` + (d.outcome ? ` · outcome: ${d.outcome}` : '')
    + (d.spend !== undefined ? ` · spent $${d.spend}` : '');
  const blocked = document.getElementById('blocked');
  blocked.hidden = d.state !== 'blocked';
  blocked.textContent = d.state === 'blocked' ? 'Blocked: ' + (d.stateReason || 'no more automatic replies') + '. Take it over to answer yourself.' : '';
  const closed = d.state === 'closed';
  document.getElementById('chat-actions').replaceChildren(...[
    !closed && d.state !== 'human' ? el('button', { type: 'button', class: 'primary', text: 'Take over', onclick: () => act(d, 'takeover') }) : null,
    d.state === 'human' ? el('button', { type: 'button', text: 'Hand back to the AI', onclick: () => act(d, 'handback') }) : null,
  ].filter(Boolean));
  document.getElementById('reply').hidden = closed;
  document.getElementById('close').hidden = closed;
  const messages = d.messages || [];
  document.getElementById('messages').replaceChildren(...messages.map(m => el('li', { class: m.direction === 'out' ? 'out' : 'in' },
    el('div', { class: 'who', text: `${AUTHORS[m.author] || m.author} · ${formatDate(m.at || m.createdAt)}`
      + (m.direction === 'out' && m.status ? ` · ${m.status}${m.reason ? ': ' + m.reason : ''}` : '') }),
    el('div', { text: m.text }))));
}

async function act(d, action, body) {
  try {
    await api('POST', `/api/dialogues/${d.id}/${action}`, body);
    await Promise.all([refreshChat(), refreshList()]);
  } catch (e) {
    notify(`Could not ${action}: ${e.message}`, 'error');
  }
}

document.getElementById('reply').addEventListener('submit', async event => {
  event.preventDefault();
  const form = event.target;
  clearErrors(form);
  try {
    await api('POST', `/api/dialogues/${selected}/messages`, { text: form.text.value });
    form.text.value = '';
    await refreshChat();
  } catch (e) {
    showError(form, e);
  }
});

document.getElementById('close').addEventListener('submit', async event => {
  event.preventDefault();
  const form = event.target;
  clearErrors(form);
  try {
    await api('POST', `/api/dialogues/${selected}/close`, { outcome: form.outcome.value.trim() });
    await Promise.all([refreshChat(), refreshList()]);
  } catch (e) {
    showError(form, e);
  }
});

if (requireSignIn()) {
  stateFilter.addEventListener('change', refreshList);
  every(3000, async () => { await refreshList(); await refreshChat(); });
}
