import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import { messageView, type MessageView } from './messages-api.ts';
import type { MessageStore } from './message-store.ts';

// Server-rendered so every value passes through escapeHtml once, in one place; the only script
// (auto-refresh and "clear") carries a per-response nonce, and the CSP blocks everything else.

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = `
body{margin:0;font:14px/1.4 system-ui,sans-serif;color:#222;display:flex;flex-direction:column;height:100vh}
header{display:flex;gap:1em;align-items:center;padding:.5em 1em;background:#f1f3f4;border-bottom:1px solid #ddd}
header h1{font-size:16px;margin:0;flex:1}
main{display:flex;flex:1;min-height:0}
#list{width:40%;overflow:auto;border-right:1px solid #ddd;margin:0;padding:0;list-style:none}
#list a{display:block;padding:.5em 1em;border-bottom:1px solid #eee;color:inherit;text-decoration:none}
#list a.selected{background:#e8f0fe}
#list .subject{font-weight:600}
#list .meta{color:#666;font-size:12px}
#detail{flex:1;overflow:auto;padding:1em}
#detail dl{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em;margin:0 0 1em}
#detail dt{color:#666}
iframe{width:100%;height:60vh;border:1px solid #ddd;background:#fff}
pre{white-space:pre-wrap;background:#fafafa;border:1px solid #eee;padding:.5em}
.empty{padding:1em;color:#666}`;

function listItem(m: MessageView, selectedId: string | undefined): string {
  const cls = m.id === selectedId ? ' class="selected"' : '';
  return `<li><a${cls} href="?id=${encodeURIComponent(m.id)}">
<div class="subject">${escapeHtml(m.subject || '(no subject)')}</div>
<div class="meta">From ${escapeHtml(m.from)} to ${escapeHtml(m.to)}</div>
<div class="meta"><time datetime="${escapeHtml(m.date)}">${escapeHtml(m.date)}</time></div></a></li>`;
}

function detail(m: MessageView | undefined): string {
  if (!m) return '<p class="empty">Select a message.</p>';
  const rows: [string, string][] = [
    ['From', m.from],
    ['To', m.to],
    ['Cc', m.cc],
    ['Bcc', m.bcc],
    ['Subject', m.subject],
    ['Date', m.date],
    ['Id', `${m.id} (thread ${m.threadId})`],
    [
      'Attachments',
      m.attachments.map((a) => `${a.filename ?? 'unnamed'} (${a.contentType}, ${a.size} B)`).join(', '),
    ],
  ];
  const fields = rows
    .filter(([, value]) => value !== '')
    .map(([name, value]) => `<dt>${name}</dt><dd>${escapeHtml(value)}</dd>`)
    .join('');
  // sandbox="" gives the mail's HTML no scripts, forms, or same-origin access to this page.
  const html = m.html
    ? `<h2>HTML</h2><iframe sandbox="" title="HTML part" srcdoc="${escapeHtml(m.html)}"></iframe>`
    : '';
  const text = m.text ? `<h2>Text</h2><pre>${escapeHtml(m.text)}</pre>` : '';
  const raw = `<p><a href="api/messages/${encodeURIComponent(m.id)}?format=raw">Raw message (.eml)</a></p>`;
  return `<dl>${fields}</dl>${html}${text}${raw}`;
}

export function renderInbox(messages: MessageView[], selectedId: string | undefined, nonce: string): string {
  const selected = messages.find((m) => m.id === selectedId) ?? messages[0];
  const items = messages.map((m) => listItem(m, selected?.id)).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Gmail sandbox inbox (${messages.length})</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body><header><h1>Gmail sandbox: ${messages.length} sent message${messages.length === 1 ? '' : 's'}</h1>
<label><input type="checkbox" id="auto" checked> auto-refresh</label>
<a href="">Refresh</a><button type="button" id="clear">Clear all</button></header>
<main><ul id="list">${items || '<li class="empty">No messages yet.</li>'}</ul>
<section id="detail">${detail(selected)}</section></main>
<script nonce="${nonce}">
const auto = document.getElementById('auto');
auto.checked = localStorage.getItem('gmail-sandbox-auto') !== 'off';
auto.addEventListener('change', () => localStorage.setItem('gmail-sandbox-auto', auto.checked ? 'on' : 'off'));
setInterval(() => { if (auto.checked) location.reload(); }, 5000);
document.getElementById('clear').addEventListener('click', async () => {
  if (confirm('Delete every message?')) { await fetch('api/messages', { method: 'DELETE' }); location.href = location.pathname; }
});
</script></body></html>`;
}

export function inboxRouter(store: MessageStore): Router {
  const router = Router();
  router.get('/', (req, res) => {
    const nonce = randomBytes(16).toString('base64');
    const selectedId = typeof req.query.id === 'string' ? req.query.id : undefined;
    res
      .set(
        'Content-Security-Policy',
        `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'; img-src data:; ` +
          `connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'none'`,
      )
      .set('X-Content-Type-Options', 'nosniff')
      .type('html')
      .send(renderInbox(store.list().map(messageView), selectedId, nonce));
  });
  return router;
}
