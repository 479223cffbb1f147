// Renders connector QR codes (PNG, SVG) and a printable HTML sheet of a site's connectors.
import * as QRCode from 'qrcode';

export type QrFormat = 'png' | 'svg';

const OPTIONS = { errorCorrectionLevel: 'M', margin: 2 } as const;

export const escapeXml = (text: string) =>
  text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
  );

export function qrPng(payload: string): Promise<Buffer> {
  return QRCode.toBuffer(payload, { ...OPTIONS, type: 'png', scale: 8 });
}

/** An SVG that also names its payload in an accessible <title> and aria-label. */
export async function qrSvg(payload: string): Promise<string> {
  const svg = await QRCode.toString(payload, { ...OPTIONS, type: 'svg' });
  const label = escapeXml(payload);
  return svg
    .trim()
    .replace('<svg ', `<svg role="img" aria-label="${label}" `)
    .replace(/(<svg[^>]*>)/, `$1<title>${label}</title>`);
}

export interface SheetEntry {
  payload: string;
  chargePointId: string;
  stationName: string | null;
  connectorId: number;
  type: string | null;
  maxPowerW: number | null;
}

/** A printable A4 page: one labelled card per connector. */
export async function qrSheetHtml(siteName: string, entries: SheetEntry[]): Promise<string> {
  const cards = await Promise.all(
    entries.map(async (e) => {
      const details = [e.type, e.maxPowerW ? `${(e.maxPowerW / 1000).toLocaleString('en')} kW` : null]
        .filter(Boolean)
        .join(' · ');
      return [
        '<figure class="card">',
        await qrSvg(e.payload),
        '<figcaption>',
        `<strong>${escapeXml(e.stationName ?? e.chargePointId)}</strong>`,
        `<span>${escapeXml(e.chargePointId)} · Connector ${e.connectorId}</span>`,
        details ? `<span>${escapeXml(details)}</span>` : '',
        `<code>${escapeXml(e.payload)}</code>`,
        '</figcaption></figure>',
      ].join('');
    }),
  );
  const title = `QR codes – ${escapeXml(siteName)}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>
@page { size: A4; margin: 12mm; }
body { font-family: system-ui, sans-serif; margin: 0; }
h1 { font-size: 16pt; }
.grid { display: grid; grid-template-columns: repeat(3, 1fr); gap: 8mm; }
.card { margin: 0; padding: 4mm; border: 1px dashed #999; break-inside: avoid; text-align: center; }
.card svg { width: 45mm; height: 45mm; }
figcaption { display: flex; flex-direction: column; gap: 1mm; font-size: 9pt; }
code { font-size: 7pt; word-break: break-all; }
</style></head>
<body><h1>${title}</h1>
${entries.length ? `<div class="grid">${cards.join('\n')}</div>` : '<p>This site has no connectors yet.</p>'}
</body></html>
`;
}
