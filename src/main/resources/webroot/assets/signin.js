import { signIn, showError, clearErrors } from './api.js';

const form = document.getElementById('signin');
const next = new URLSearchParams(location.search).get('next');

form.addEventListener('submit', async event => {
  event.preventDefault();
  clearErrors(form);
  const value = form.token.value.trim();
  if (!value) {
    showError(form, { field: 'token', message: 'Enter your token.' });
    return;
  }
  let response;
  try {
    // The task list answers any valid marketer or admin token: the cheapest way to check one.
    response = await fetch('/api/tasks?status=completed', { headers: { Authorization: 'Bearer ' + value } });
  } catch (e) {
    showError(form, { message: 'Parley could not be reached; check the connection and try again.' });
    return;
  }
  if (response.status === 401) {
    showError(form, { field: 'token', message: 'This token is not valid. Check it and try again.' });
    return;
  }
  let home = '/tasks';
  if (response.status === 403) {
    // Not a marketer: a manager's token reaches the dialogues, an integration's does not.
    const dialogues = await fetch('/api/dialogues', { headers: { Authorization: 'Bearer ' + value } }).catch(() => null);
    if (!dialogues || dialogues.status === 403) {
      showError(form, { field: 'token', message: 'This token is valid, but these pages need a marketer, manager or admin token.' });
      return;
    }
    home = '/inbox';
  }
  if (!response.ok && home === '/tasks') {
    showError(form, { message: `Parley answered ${response.status}; try again in a moment.` });
    return;
  }
  signIn(value, document.getElementById('remember').checked);
  location.href = next && next.startsWith('/') && !next.startsWith('//') && home === '/tasks' ? next : home;
});
form.querySelector('button[type=submit]').disabled = false; // only now is signing in this script's to do
form.token.focus();
