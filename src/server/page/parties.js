// The parties (holders of rights): their names by id, learnt from the register pages read,
// and a holder's name whatever shape the API gives it in.

import { plain } from './dom.js';

/** The name of a holder, whatever shape it comes in. */
export function holderName(h) {
  if (typeof h === 'string') return partyNames.get(h) ?? h;
  if (!h || typeof h !== 'object') return plain(h);
  const name = h.name ?? h.party?.name ?? h.holder ?? h.party ?? plain(h);
  const share = h.share ?? h.fraction;
  return share !== undefined && share !== null && share !== 1 ? `${plain(name)} (${plain(share)})` : plain(name);
}

/** Names of the parties (holders) by their id, from the register pages read so far. */
export const partyNames = new Map();

export function learnParties(page) {
  for (const r of page?.rights ?? []) {
    for (const h of r.holders ?? []) {
      if (h && typeof h === 'object' && typeof h.id === 'string' && typeof h.name === 'string') partyNames.set(h.id, h.name);
    }
  }
}
