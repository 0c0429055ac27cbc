import { api, el, requireSignIn, showError, clearErrors, localHours, notify } from './api.js';
import { uploadAudience, reportView, countLines } from './audience.js';

const form = document.getElementById('task-form');
const editId = (location.pathname.match(/^\/tasks\/([^/]+)\/edit$/) || [])[1];
let channels = [];
let task = null;

async function load() {
  const [ch, managers, ais, integrations] = await Promise.all(['/api/channels', '/api/managers', '/api/ai-profiles',
    '/api/integrations'].map(path => api('GET', path).then(r => r.items)));
  channels = ch;
  document.getElementById('managers').replaceChildren(...(managers.length ? managers.map(m =>
    choice('manager', m.id, m.name)) : [el('p', { class: 'muted' }, 'No virtual managers yet: ', el('a', { href: '/settings#managers', text: 'add one in Settings' }), '.')]));
  form.ai.replaceChildren(el('option', { value: '', text: ais.length ? 'Choose…' : 'No AI profiles yet (add one in Settings)' }),
    ...ais.map(a => el('option', { value: a.id, text: `${a.name} (${a.provider})` })));
  form.integration.append(...integrations.map(i => el('option', { value: i.id, text: i.name })));
  if (editId) {
    task = await api('GET', '/api/tasks/' + editId);
    fill(task);
  }
  renderChannels();
  changed();
}

function choice(name, value, label, extra) {
  const id = `${name}-${value}`;
  return el('label', { for: id }, el('input', { type: 'checkbox', id, name, value }), label, extra || null);
}

/** Only channels of the chosen type whose capabilities fit the format; locked once the task exists. */
function renderChannels() {
  const type = form.type.value;
  const outgoing = form.format.value === 'incoming_outgoing';
  const fitting = channels.filter(c => c.type === type && (!outgoing || c.capabilities.outgoing));
  const chosen = new Set(task ? task.channels : [...form.querySelectorAll('input[name=channel]:checked')].map(i => i.value));
  const box = document.getElementById('channels');
  if (task) {
    box.replaceChildren(...task.channels.map(id => {
      const c = channels.find(x => x.id === id);
      const item = choice('channel', id, c ? c.name : id, c ? stateBadge(c) : null);
      item.querySelector('input').checked = true;
      item.querySelector('input').disabled = true;
      return item;
    }));
    return;
  }
  box.replaceChildren(...(fitting.length ? fitting.map(c => {
    const item = choice('channel', c.id, c.name, stateBadge(c));
    item.querySelector('input').checked = chosen.has(c.id);
    return item;
  }) : [el('p', { class: 'muted' }, `No ${type} channel ${outgoing ? 'that can open dialogues ' : ''}yet: `,
    el('a', { href: '/settings#channels', text: 'add one in Settings' }), '.')]));
}

function stateBadge(c) {
  return c.state === 'active' ? null : el('span', { class: 'badge ' + c.state, text: c.state + (c.stateReason ? ': ' + c.stateReason : '') });
}

function fill(t) {
  document.getElementById('form-title').textContent = 'Edit ' + t.name;
  document.title = 'Edit ' + t.name + ' · Parley';
  document.getElementById('save').textContent = 'Save changes';
  document.getElementById('cancel').href = '/tasks/' + t.id;
  form.name.value = t.name;
  form.type.value = t.type;
  form.format.value = t.format;
  form.type.disabled = true;
  form.format.disabled = true;
  for (const input of form.querySelectorAll('input[name=manager]')) input.checked = t.managers.includes(input.value);
  form.managerAssignment.value = t.managerAssignment || 'round_robin';
  form.ai.value = t.ai;
  form.integration.value = t.integration || '';
  form.spendLimitPerDialogue.value = t.spendLimitPerDialogue;
  if (t.workingHours) {
    form.from.value = t.workingHours.from;
    form.to.value = t.workingHours.to;
  }
  if (t.dailyLimitPerChannel) form.dailyLimitPerChannel.value = t.dailyLimitPerChannel;
  if (t.pauseBetweenDialogues) form.pauseBetweenDialogues.value = t.pauseBetweenDialogues;
  const opening = t.openingMessage || {};
  if (opening.text) form.openingText.value = opening.text;
  if (opening.template) {
    form.templateName.value = opening.template.name;
    form.templateLanguage.value = opening.template.language;
    form.templateParameters.value = (opening.template.parameters || []).join('\n');
  }
  document.getElementById('audience-label').textContent = 'Add contacts: one per line';
}

/** A number when the box holds one; else what was typed, so the API names the problem. */
function number(input) {
  const raw = input.value.trim();
  if (raw === '') return undefined;
  return /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
}

function body() {
  const outgoing = form.format.value === 'incoming_outgoing';
  const b = {
    name: form.name.value,
    managers: [...form.querySelectorAll('input[name=manager]:checked')].map(i => i.value),
    managerAssignment: form.managerAssignment.value,
    ai: form.ai.value || undefined,
    integration: form.integration.value || (task ? null : undefined),
    spendLimitPerDialogue: form.spendLimitPerDialogue.value.trim() || undefined,
  };
  if (!task) {
    b.type = form.type.value;
    b.format = form.format.value;
    b.channels = [...form.querySelectorAll('input[name=channel]:checked')].map(i => i.value);
  }
  if (outgoing) {
    const from = number(form.from);
    const to = number(form.to);
    b.workingHours = from === undefined && to === undefined ? undefined : { from, to };
    b.dailyLimitPerChannel = number(form.dailyLimitPerChannel);
    b.pauseBetweenDialogues = number(form.pauseBetweenDialogues);
    if (form.type.value === 'whatsapp') {
      const parameters = form.templateParameters.value.split(/\r?\n/).filter(p => p.trim());
      b.openingMessage = { template: { name: form.templateName.value.trim(), language: form.templateLanguage.value.trim() || undefined, parameters } };
    } else {
      b.openingMessage = form.openingText.value.trim() ? { text: form.openingText.value } : undefined;
    }
  }
  return b;
}

async function submit(event) {
  event.preventDefault();
  clearErrors(form);
  const file = form.audienceFile.files[0];
  const text = form.audience.value;
  const save = document.getElementById('save');
  save.disabled = true;
  try {
    let saved;
    let report = null;
    if (task) {
      saved = await api('PATCH', '/api/tasks/' + task.id, body());
    } else {
      const b = body();
      if (!file && text.trim() && b.format === 'incoming_outgoing') b.audience = text;
      saved = await api('POST', '/api/tasks', b);
      report = saved.audienceReport || null;
      task = saved;
    }
    if (file || (editId && text.trim())) {
      try {
        report = await uploadAudience(saved.id, file, text);
      } catch (e) {
        e.field = 'audience';
        showError(form, e);
        notify('The task was saved, but the audience was not: ' + e.message, 'error');
        lockAfterCreate(saved);
        return;
      }
    }
    done(saved, report);
  } catch (e) {
    showError(form, e);
  } finally {
    save.disabled = false;
  }
}

/** After a create whose audience failed, the form edits the created task rather than making another. */
function lockAfterCreate(saved) {
  history.replaceState(null, '', `/tasks/${saved.id}/edit`);
  fill(saved);
  renderChannels();
}

function done(saved, report) {
  const result = document.getElementById('result');
  const box = document.getElementById('result-body');
  document.getElementById('result-title').textContent = editId ? 'Changes saved' : 'Task created';
  box.replaceChildren(
    el('p', {}, el('a', { href: '/tasks/' + saved.id, id: 'open-task', text: `Open “${saved.name}”` }),
      ' · ', el('a', { href: '/tasks', text: 'All tasks' })),
    ...(report ? [el('h3', { text: 'Audience import' }), reportView(report)] : []));
  result.hidden = false;
  form.hidden = true;
  result.focus();
}

async function changed() {
  const whatsapp = form.type.value === 'whatsapp';
  document.getElementById('opening-text').hidden = whatsapp;
  document.getElementById('opening-template').hidden = !whatsapp;
  document.getElementById('outgoing').hidden = form.format.value !== 'incoming_outgoing';
  const from = Number(form.from.value);
  const to = Number(form.to.value);
  const hoursOk = Number.isInteger(from) && Number.isInteger(to) && form.from.value !== '' && form.to.value !== '';
  document.getElementById('local-hours').textContent = hoursOk ? localHours(from, to) : '';
  document.getElementById('estimate').textContent = await estimate(hoursOk ? [from, to] : null);
}

/** How long the audience takes: channels × min(daily limit, what the pause allows within working hours). */
async function estimate(hours) {
  const count = await countLines(form.audienceFile.files[0], form.audience.value) ;
  const total = (count || 0) + (task ? task.remaining : 0);
  const channelCount = task ? task.channels.length : form.querySelectorAll('input[name=channel]:checked').length;
  const daily = Number(form.dailyLimitPerChannel.value);
  const pause = Number(form.pauseBetweenDialogues.value);
  if (count === null) return 'The file is too large to count here; the import report will tell.';
  if (form.pauseBetweenDialogues.value !== '' && pause < 3) return 'The pause between dialogues must be at least 3 seconds.';
  if (!total || !hours || !channelCount || !(daily > 0) || !(pause >= 3)) {
    return total ? `${total} contacts. Choose channels, hours, a daily limit and a pause to see how long they take.` : '';
  }
  const [from, to] = hours;
  const windowHours = from < to ? to - from : 24 - from + to;
  const perChannel = Math.min(daily, Math.floor(windowHours * 3600 / pause));
  const perDay = perChannel * channelCount;
  const days = Math.ceil(total / perDay);
  return `Estimate: ${total} contacts at up to ${perDay} new dialogues a day (${channelCount} channel${channelCount > 1 ? 's' : ''} × ${perChannel}) take about ${days} day${days > 1 ? 's' : ''}.`;
}

if (requireSignIn()) {
  form.addEventListener('submit', submit);
  form.type.addEventListener('change', () => { renderChannels(); changed(); });
  form.format.addEventListener('change', () => { renderChannels(); changed(); });
  form.addEventListener('input', changed);
  form.addEventListener('change', changed);
  // Saving waits for the form to be loaded. Before this script, the browser would send the form itself, audience
  // and all, as a plain request into the address; before the task is loaded, an edit would go out as a new task.
  load().then(() => { document.getElementById('save').disabled = false; })
    .catch(e => notify('Could not load the form: ' + e.message, 'error'));
}
