/** HTML for email: inline styles only, since mail clients drop style sheets. */
import type { AlertSeverity } from '../../types.js';
import type { MessageModel } from './model.js';

/** Header colour per severity; resolved messages are green whatever their severity. */
const SEVERITY_COLOR: Record<AlertSeverity, string> = {
  info: '#1f6feb',
  warning: '#d29922',
  error: '#cf222e',
  critical: '#8b0000',
};
const RESOLVED_COLOR = '#1a7f37';

/** Renders the model as a small HTML document. */
export function toHtml(m: MessageModel): string {
  const color = m.transition === 'resolved' ? RESOLVED_COLOR : SEVERITY_COLOR[m.severity];
  const items = m.items
    .map((item) => {
      const rows = item.facts
        .map(
          ([label, value]) =>
            `<tr><td style="color:#57606a;padding-right:12px">${esc(label)}</td><td>${esc(value)}</td></tr>`,
        )
        .join('');
      return `<h3 style="margin:16px 0 4px">${esc(item.heading)}</h3><p style="margin:0 0 8px">${esc(item.message)}</p><table style="font-size:13px">${rows}</table>`;
    })
    .join('\n');
  const parts = [
    `<!doctype html><html lang="${m.locale === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><title>${esc(m.title)}</title></head>`,
    '<body style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;font-size:14px;color:#1f2328">',
    `<h2 style="color:${color};margin:0 0 8px">${esc(m.title)}</h2>`,
    `<p><strong>${esc(m.summary)}</strong></p>`,
    items,
    m.moreLine ? `<p>${esc(m.moreLine)}</p>` : '',
    m.link ? `<p><a href="${esc(m.link.url)}">${esc(m.link.label)}</a></p>` : '',
    m.ownersLine ? `<p style="color:#57606a">${esc(m.ownersLine)}</p>` : '',
    '</body></html>',
  ];
  return parts.filter(Boolean).join('\n');
}

/** Escapes text for HTML element content and double-quoted attributes. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
