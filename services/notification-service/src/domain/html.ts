const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML content and quoted attribute values: every value from a user goes through it. */
export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** Parts of an HTML mail body. Paragraphs are HTML (escape what users gave); row values are plain text. */
export interface HtmlMail {
  title: string;
  intro: string[];
  rows?: [label: string, value: string][];
  outro?: string[];
}

/** A small, inline-styled HTML mail body, escaping every row label and value. */
export function htmlLayout({ title, intro, rows = [], outro = [] }: HtmlMail): string {
  const table = rows.length
    ? `<table role="presentation" cellpadding="6" style="border-collapse:collapse">${rows
        .map(
          ([label, value]) =>
            `<tr><th align="left">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`,
        )
        .join('')}</table>`
    : '';
  return [
    '<!doctype html>',
    '<html><head><meta charset="utf-8"></head>',
    '<body style="font-family:Arial,Helvetica,sans-serif;color:#222">',
    `<h1 style="font-size:20px">${escapeHtml(title)}</h1>`,
    ...intro.map((p) => `<p>${p}</p>`),
    table,
    ...outro.map((p) => `<p>${p}</p>`),
    '</body></html>',
  ].join('\n');
}
