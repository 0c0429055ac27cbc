import { api, el } from './api.js';

/** Uploads a file or text as the task's audience: CSV when it looks like one, else a target per line. */
export function uploadAudience(taskId, file, text) {
  if (file) {
    const csv = /\.csv$/i.test(file.name) || file.type === 'text/csv';
    return api('POST', `/api/tasks/${taskId}/audience`, undefined,
      { type: csv ? 'text/csv' : 'text/plain', body: file });
  }
  return api('POST', `/api/tasks/${taskId}/audience`, undefined, { type: 'text/plain', body: text });
}

/** The import report in words: accepted, duplicates, and each rejected line with its reason. */
export function reportView(report) {
  const rejected = report.rejectedTotal ?? report.rejected.length;
  const view = el('div', { class: 'import-report' },
    el('p', {}, el('b', { text: `${report.accepted} accepted` }), `, ${report.duplicates} duplicates, `,
      el('b', { text: `${rejected} rejected` }), '.'));
  if (report.rejected.length) {
    view.append(el('ul', { class: 'rejected' }, report.rejected.map(r =>
      el('li', {}, `Line ${r.line}: `, el('code', { text: r.value }), ` — ${r.reason}`))));
    if (report.rejectedTruncated) {
      view.append(el('p', { class: 'muted', text: `Only the first ${report.rejected.length} rejected lines are listed.` }));
    }
  }
  return view;
}

/** How many contacts a text or file holds (a CSV's header row does not count). */
export async function countLines(file, text) {
  const count = s => s.split(/\r?\n/).filter(line => line.trim()).length;
  if (file) {
    if (file.size > 32 * 1024 * 1024) return null;
    const n = count(await file.text());
    return /\.csv$/i.test(file.name) || file.type === 'text/csv' ? Math.max(0, n - 1) : n;
  }
  return count(text || '');
}
