import { api, el, notify, TYPES } from './api.js';
import { field, input, select, textarea, value, secretBox } from './forms.js';

/** Each platform's channel settings: [name, label, secret?, hint]. */
const CHANNEL_SETTINGS = {
  web: [['callbackUrl', 'Callback URL', false, 'Parley POSTs each outgoing message here, signed.'],
    ['secret', 'Signing secret (whsec_…)', true, 'Leave empty and Parley makes one, shown once.']],
  telegram: [['botToken', 'Bot token', true, 'As @BotFather gives it.'], ['mode', 'Mode', false, 'polling or webhook'],
    ['webhookSecret', 'Webhook secret', true, 'Optional; made for you in webhook mode.'], ['apiUrl', 'API URL', false, 'Leave empty for Telegram itself.']],
  whatsapp: [['phoneNumberId', 'Phone number ID', false], ['accessToken', 'Access token', true], ['appSecret', 'App secret', true],
    ['verifyToken', 'Verify token', true], ['apiVersion', 'API version', false, 'Default v23.0'],
    ['messagingTier', 'Messaging tier', false, '250, 2000, 10000, 100000 or unlimited (optional)'], ['apiUrl', 'API URL', false, 'Leave empty for Meta itself.']],
  vk: [['accessToken', 'Access token', true], ['groupId', 'Group ID', false], ['apiUrl', 'API URL', false]],
  avito: [['clientId', 'Client ID', false], ['clientSecret', 'Client secret', true], ['apiUrl', 'API URL', false]],
  instagram: [['accessToken', 'Access token', true], ['apiUrl', 'API URL', false]],
};

function channelSettingsFields(type, channel) {
  return CHANNEL_SETTINGS[type].map(([name, label, secret, hint]) => {
    const isSet = channel && channel.secretsSet.includes(name);
    const control = name === 'mode' ? select(['polling', 'webhook'], channel?.settings.mode || 'polling')
      : input({ type: secret ? 'password' : 'text', autocomplete: 'off', placeholder: isSet ? 'set; type to replace' : '' });
    if (!secret && channel && name !== 'mode' && channel.settings[name] !== undefined) control.value = channel.settings[name];
    control.name = 'settings.' + name;
    return field('settings.' + name, label, control, hint);
  });
}

function channelBody(f, type, patch) {
  const settings = {};
  for (const [name] of CHANNEL_SETTINGS[type]) {
    const v = value(f, 'settings.' + name);
    if (v !== undefined) settings[name] = v;
  }
  return patch ? { name: value(f, 'name'), settings } : { type, name: value(f, 'name'), settings };
}

const channels = {
  key: 'channels', path: '/api/channels', title: 'Channels', one: 'channel',
  intro: 'The bots, numbers and endpoints tasks send through. A channel whose credentials were refused is marked auth_failed and stops sending; saving new settings makes it active again.',
  columns: [
    ['Name', c => c.name], ['Type', c => c.type],
    ['State', c => el('span', {}, el('span', { class: 'badge ' + c.state, 'data-state': c.state, text: c.state }),
      c.stateReason ? el('div', { class: 'muted', 'data-state-reason': '', text: c.stateReason }) : null)],
    ['Can open dialogues', c => c.capabilities.outgoing ? 'yes' : 'no (answers only)'],
    ['Settings', c => Object.entries(c.settings).map(([k, v]) => `${k}: ${v}`).join(', ') +
      (c.secretsSet.length ? ` · secrets set: ${c.secretsSet.join(', ')}` : '')],
    ['ID', c => el('span', { class: 'mono', text: c.id })],
  ],
  fields(channel) {
    const type = select(TYPES, channel ? channel.type : 'web');
    type.name = 'type';
    if (channel) type.disabled = true;
    const name = input({ value: channel ? channel.name : '', maxlength: 200 });
    name.name = 'name';
    return [field('type', 'Type', type, channel ? 'A channel’s type cannot change.' : null), field('name', 'Name', name),
      el('div', { class: 'channel-settings' }, channelSettingsFields(channel ? channel.type : 'web', channel))];
  },
  wire(f, channel) {
    if (channel) return;
    const box = f.querySelector('.channel-settings');
    f.elements.type.onchange = () => box.replaceChildren(...channelSettingsFields(f.elements.type.value));
    box.replaceChildren(...channelSettingsFields(f.elements.type.value));
  },
  body: f => channelBody(f, f.elements.type.value, false),
  edit: (f, channel) => channelBody(f, channel.type, true),
  created: c => c.secret ? secretBox(`Signing secret of “${c.name}”`, c.secret) : [],
};

const OUTCOMES = ['success', 'not_interested', 'no_answer', 'no_further_action', 'opted_out'];

/** Rules as lines "pattern => reply => outcome" (the outcome is optional). */
function rulesText(rules) {
  return (rules || []).map(r => [r.pattern, r.reply, r.outcome].filter(Boolean).join(' => ')).join('\n');
}

function parseRules(text) {
  return text.split(/\r?\n/).filter(l => l.trim()).map(line => {
    const [pattern, reply, outcome] = line.split('=>').map(s => s.trim());
    const rule = { pattern, reply };
    if (outcome) rule.outcome = outcome;
    return rule;
  });
}

const ai = {
  key: 'ai', path: '/api/ai-profiles', title: 'AI profiles', one: 'AI profile',
  intro: 'How replies are written: the built-in scripted responder (no network) or an OpenAI-compatible model.',
  columns: [['Name', a => a.name], ['Provider', a => a.provider],
    ['Details', a => a.provider === 'openai' ? `${a.openai.model} at ${a.openai.baseUrl}` : `${a.scripted.rules.length} rules` + (a.scripted.fallback ? ', fallback reply' : '')],
    ['ID', a => el('span', { class: 'mono', text: a.id })]],
  fields(profile) {
    const name = input({ maxlength: 200, value: profile ? profile.name : '' });
    name.name = 'name';
    const provider = select([['scripted', 'Scripted (built in)'], ['openai', 'OpenAI-compatible']], profile ? profile.provider : 'scripted');
    provider.name = 'provider';
    const s = profile?.scripted;
    const o = profile?.openai;
    const rules = textarea({ placeholder: 'yes|sure => Great, a manager will call you. => success' });
    rules.name = 'rules';
    rules.value = rulesText(s?.rules);
    const fallback = textarea({});
    fallback.name = 'fallback';
    fallback.value = s?.fallback || '';
    const openaiField = (key, label, v, hint, type = 'text') => {
      const control = input({ type, value: v ?? '', autocomplete: 'off' });
      control.name = 'openai.' + key;
      return field('openai.' + key, label, control, hint);
    };
    const keyHeader = select([['authorization', 'Authorization: Bearer'], ['api-key', 'api-key (Azure)']], o?.apiKeyHeader || 'authorization');
    keyHeader.name = 'openai.apiKeyHeader';
    const tool = el('input', { type: 'checkbox', name: 'openai.outcomeTool', checked: o ? o.outcomeTool !== false : true });
    return [field('name', 'Name', name), field('provider', 'Provider', provider),
      el('div', { class: 'provider-scripted' },
        field('scripted.rules', 'Rules, one per line: pattern => reply => outcome', rules,
          `The pattern is a regular expression, tried in order; the outcome is optional (${OUTCOMES.join(', ')}).`),
        field('scripted.fallback', 'Fallback reply', fallback, 'Sent when no rule matches.')),
      el('div', { class: 'provider-openai row' },
        openaiField('baseUrl', 'Base URL', o?.baseUrl, 'e.g. http://localhost:11434/v1'),
        openaiField('apiKey', 'API key', '', profile?.secretsSet.includes('apiKey') ? 'set; type to replace' : 'optional for local servers', 'password'),
        field('openai.apiKeyHeader', 'Key header', keyHeader, 'Azure OpenAI takes the key in api-key.'),
        openaiField('apiVersion', 'API version (Azure)', o?.apiVersion, 'e.g. 2024-10-21; leave empty elsewhere'),
        openaiField('model', 'Model', o?.model), openaiField('temperature', 'Temperature', o?.temperature),
        openaiField('maxCompletionTokens', 'Max completion tokens', o?.maxCompletionTokens),
        el('div', { class: 'field', 'data-field': 'openai.outcomeTool' }, el('label', { class: 'inline' }, tool,
          'Outcome tool (declare_outcome; turn off for servers without tools)'),
          el('div', { class: 'field-error', role: 'alert', hidden: true })),
        openaiField('prices.promptPerMillion', 'USD per million prompt tokens', o?.prices.promptPerMillion),
        openaiField('prices.completionPerMillion', 'USD per million completion tokens', o?.prices.completionPerMillion))];
  },
  wire(f) {
    const toggle = () => {
      const openai = f.elements.provider.value === 'openai';
      f.querySelector('.provider-openai').hidden = !openai;
      f.querySelector('.provider-scripted').hidden = openai;
    };
    f.elements.provider.onchange = toggle;
    toggle();
  },
  body(f) {
    const provider = f.elements.provider.value;
    const body = { name: value(f, 'name'), provider };
    if (provider === 'scripted') {
      body.scripted = { rules: parseRules(f.elements.rules.value), fallback: value(f, 'fallback') };
    } else {
      const num = key => { const v = value(f, 'openai.' + key); return v !== undefined && /^\d+(\.\d+)?$/.test(v) ? Number(v) : v; };
      body.openai = { baseUrl: value(f, 'openai.baseUrl'), apiKey: value(f, 'openai.apiKey'),
        apiKeyHeader: f.elements['openai.apiKeyHeader'].value, apiVersion: value(f, 'openai.apiVersion') ?? null, model: value(f, 'openai.model'),
        temperature: num('temperature'), maxCompletionTokens: num('maxCompletionTokens'),
        outcomeTool: f.elements['openai.outcomeTool'].checked,
        prices: { promptPerMillion: value(f, 'openai.prices.promptPerMillion'), completionPerMillion: value(f, 'openai.prices.completionPerMillion') } };
    }
    return body;
  },
  edit(f) {
    return ai.body(f);
  },
};

const managers = {
  key: 'managers', path: '/api/managers', title: 'Virtual managers', one: 'virtual manager',
  intro: 'The names the AI speaks as, and the manager tokens of the people who answer for them.',
  columns: [['Name', m => m.name], ['Persona', m => m.persona], ['Time zone', m => m.timezone || '—'],
    ['Operators', m => m.operators.join(', ') || '—'], ['ID', m => el('span', { class: 'mono', text: m.id })]],
  fields(m) {
    const name = input({ maxlength: 100, value: m ? m.name : '' });
    name.name = 'name';
    const persona = textarea({});
    persona.name = 'persona';
    persona.value = m ? m.persona : '';
    const zone = input({ value: m ? (m.timezone || '') : Intl.DateTimeFormat().resolvedOptions().timeZone });
    zone.name = 'timezone';
    const operators = input({ value: m ? m.operators.join(', ') : '' });
    operators.name = 'operators';
    return [field('name', 'Name', name), field('persona', 'Persona', persona, 'How this manager writes: tone, language, what to offer.'),
      field('timezone', 'Time zone', zone, 'An IANA zone such as Europe/Moscow.'),
      field('operators', 'Operators (manager token IDs, comma-separated)', operators, 'The people who answer as this manager; see Tokens.')];
  },
  body(f) {
    return { name: value(f, 'name'), persona: f.elements.persona.value.trim(), timezone: value(f, 'timezone'),
      operators: f.elements.operators.value.split(',').map(s => s.trim()).filter(Boolean) };
  },
  edit(f) {
    return managers.body(f);
  },
};

const EVENTS = ['dialogue.succeeded', 'dialogue.closed', 'dialogue.blocked', 'task.completed'];

/** The delivery log of an integration, with redeliver buttons; says so when this server has none. */
async function deliveries(integration, slot) {
  const box = el('section', { class: 'card', 'aria-label': `Deliveries of ${integration.name}` }, el('h3', { text: `Deliveries of “${integration.name}”` }));
  slot.replaceChildren(box);
  try {
    const { items } = await api('GET', `/api/integrations/${integration.id}/deliveries`);
    if (!items.length) {
      box.append(el('p', { class: 'muted', text: 'Nothing has been sent to this integration yet.' }));
      return;
    }
    box.append(el('table', { class: 'stack' }, el('thead', {}, el('tr', {}, ['When', 'Event', 'State', 'Attempts', 'Last answer', ''].map(h => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, items.map(d => el('tr', {},
        el('td', { 'data-label': 'When', text: d.createdAt ? new Date(d.createdAt).toLocaleString() : '' }),
        el('td', { 'data-label': 'Event', text: d.event || '' }),
        el('td', { 'data-label': 'State', text: d.status || '' }),
        el('td', { 'data-label': 'Attempts', text: String(d.attempts ?? '') }),
        el('td', { 'data-label': 'Last answer', text: [d.lastStatusCode ? 'HTTP ' + d.lastStatusCode : '', d.reason || ''].filter(Boolean).join(' · ') }),
        el('td', {}, el('button', { type: 'button', class: 'small', text: 'Redeliver', onclick: async () => {
          try {
            await api('POST', `/api/integrations/${integration.id}/deliveries/${d.id}/redeliver`);
            notify('Queued for redelivery.', 'ok');
          } catch (e) {
            notify('Could not redeliver: ' + e.message, 'error');
          }
        } })))))));
  } catch (e) {
    box.append(el('p', { class: 'muted', text: e.status === 404 && e.message.startsWith('no such resource')
      ? 'The delivery log is not available on this Parley version yet.' : 'Could not load the deliveries: ' + e.message }));
  }
}

const integrations = {
  key: 'integrations', path: '/api/integrations', title: 'Integrations', one: 'integration',
  intro: 'Where successful dialogues and other events are sent, signed as Standard Webhooks.',
  columns: [['Name', i => i.name], ['URL', i => el('span', { class: 'mono', text: i.url })], ['Events', i => i.events.join(', ')],
    ['Enabled', i => i.enabled ? 'yes' : 'no'], ['ID', i => el('span', { class: 'mono', text: i.id })]],
  fields(i) {
    const name = input({ maxlength: 200, value: i ? i.name : '' });
    name.name = 'name';
    const url = input({ type: 'url', value: i ? i.url : '' });
    url.name = 'url';
    const events = el('div', { class: 'choices', role: 'group', 'aria-label': 'Events' }, EVENTS.map(e => el('label', {},
      el('input', { type: 'checkbox', name: 'events', value: e, checked: i ? i.events.includes(e) : e === 'dialogue.succeeded' }), e)));
    const enabled = el('input', { type: 'checkbox', name: 'enabled', checked: i ? i.enabled : true });
    return [field('name', 'Name', name), field('url', 'URL', url, 'Receives a signed POST for each event.'),
      el('div', { class: 'field', 'data-field': 'events' }, el('b', { text: 'Events' }), events, el('div', { class: 'field-error', role: 'alert', hidden: true })),
      el('div', { class: 'field' }, el('label', { class: 'inline' }, enabled, 'Enabled'))];
  },
  body(f) {
    return { name: value(f, 'name'), url: value(f, 'url'), events: [...f.querySelectorAll('input[name=events]:checked')].map(i => i.value),
      enabled: f.elements.enabled.checked };
  },
  edit(f) {
    return integrations.body(f);
  },
  created: i => secretBox(`Signing secret of “${i.name}”`, i.secret),
  actions: [
    ['Deliveries', (i, slot) => deliveries(i, slot)],
    ['New secret', async (i, slot) => {
      try {
        const rotated = await api('POST', `/api/integrations/${i.id}/secret`);
        slot.replaceChildren(secretBox(`New signing secret of “${i.name}”`, rotated.secret));
      } catch (e) {
        notify('Could not replace the secret: ' + e.message, 'error');
      }
    }],
  ],
};

const tokens = {
  key: 'tokens', path: '/api/tokens', title: 'Tokens', one: 'token', deleteVerb: 'Revoke',
  intro: 'Each person or system signs in with a token of one role: marketer, manager, integration or admin. A token is shown only when it is made.',
  columns: [['Name', t => t.name], ['Role', t => t.role], ['Source', t => t.source], ['Created', (t, date) => date(t.createdAt)],
    ['ID', t => el('span', { class: 'mono', text: t.id })]],
  fields() {
    const name = input({ maxlength: 200 });
    name.name = 'name';
    const role = select(['marketer', 'manager', 'integration', 'admin'], 'marketer');
    role.name = 'role';
    return [field('name', 'Name', name, 'Who or what will use it.'), field('role', 'Role', role)];
  },
  body: f => ({ name: value(f, 'name'), role: f.elements.role.value }),
  created: t => secretBox(`Token for “${t.name}” (${t.role})`, t.token),
};

export const SECTIONS = { channels, ai, managers, integrations, tokens };
