/** A paragraph, or a bulleted list. */
export type Block = string | { list: string[] };

/** What a template says; the layout turns it into the text and HTML parts of an e-mail. */
export interface EmailContent {
  subject: string;
  greeting?: string;
  blocks: Block[];
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const SIGN_OFF = 'Kind regards,\nCustomer service';

/** Renders an e-mail's plain-text and (escaped) HTML parts from the same content. */
export function renderEmail(content: EmailContent, signOff = SIGN_OFF): RenderedEmail {
  const blocks: Block[] = [...(content.greeting ? [content.greeting] : []), ...content.blocks];
  const text = [...blocks.map(blockText), signOff].join('\n\n') + '\n';
  const html = [
    '<!doctype html>',
    `<html><head><meta charset="utf-8"><title>${escapeHtml(content.subject)}</title></head>`,
    '<body style="font-family: sans-serif; line-height: 1.5">',
    ...blocks.map(blockHtml),
    `<p>${escapeHtml(signOff).replace(/\n/g, '<br>')}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject: content.subject, text, html };
}

function blockText(block: Block): string {
  return typeof block === 'string' ? block : block.list.map((item) => `- ${item}`).join('\n');
}

function blockHtml(block: Block): string {
  return typeof block === 'string'
    ? `<p>${escapeHtml(block)}</p>`
    : `<ul>\n${block.list.map((item) => `<li>${escapeHtml(item)}</li>`).join('\n')}\n</ul>`;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Customer names, reasons and ids come from outside: never let them become markup. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]);
}
