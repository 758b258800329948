// A unit's documents (parcel maps, register page, certificate): links that open the API's
// file, fetched with the token, in a new tab.

import { el } from './dom.js';
import { fetchDocument } from './api.js';
import { showError } from './messages.js';
import { section } from './detail-sections.js';

export function renderLinks(links) {
  if (!links) return null;
  const names = [
    ['map_svg', '三维宗地图 3D parcel map (SVG)'],
    ['map_pdf', '三维宗地图 3D parcel map (PDF)'],
    ['page_pdf', '登记簿页 Register page (PDF)'],
    ['certificate_pdf', '不动产权证书 Certificate (PDF)'],
  ];
  const known = names.filter(([k]) => links[k]);
  const others = Object.keys(links).filter((k) => !names.some(([n]) => n === k) && typeof links[k] === 'string').map((k) => [k, k]);
  const items = [...known, ...others].map(([k, label]) => el('li', {},
    el('a', { href: links[k], 'data-link': k, onclick: (e) => openDocument(e, links[k], label), text: label })));
  return section('文件 Documents', el('ul', { class: 'links' }, items));
}

/** Opens a document of the API in a new tab: fetched with the token (a plain link has none). */
async function openDocument(event, url, label) {
  event.preventDefault();
  const win = window.open('', '_blank');
  try {
    const blobUrl = URL.createObjectURL(await fetchDocument(url, label));
    if (win) win.location.href = blobUrl;
    else {
      const a = el('a', { href: blobUrl, download: url.split('/').pop() || 'document' });
      document.body.append(a);
      a.click();
      a.remove();
    }
    setTimeout(() => URL.revokeObjectURL(blobUrl), 60_000);
  } catch (e) {
    win?.close();
    showError('document', e);
  }
}
