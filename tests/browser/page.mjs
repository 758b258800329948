#!/usr/bin/env node
// Drives the 3D page of `strata serve` in a real headless Chromium (the distribution's, at
// /usr/bin/chromium; WebGL through SwiftShader) the way a planner uses it, and checks what it
// shows. tests/browser.rs runs it against the demo's Wengcheng register.
//
//   node tests/browser/page.mjs --url http://127.0.0.1:PORT --token TOKEN --unit CODE \
//     --tunnel tunnel.json --expect CODE[,CODE…] [--expect-clearance CODE[,CODE…]] \
//     [--past-date YYYY-MM-DD --past-count N] [--rules-plot PLOT --rules-proposal SPEC \
//     --rules-stratum STRATUM --rules-broken RULE[,RULE…]] --out DIR [--chromium PATH]
//
// Checks: the page loads with no console error or warning and no failed request; a wrong token
// shows the API's error in the panel; after signing in the units are drawn (as many as the API
// lists); a real mouse click at the known unit's position (found by lowering the section
// slider with the keyboard until it shows) opens its register page; the tunnel request, loaded
// through the page's file input and posted from its form, highlights exactly the expected
// units; a past date reloads the units as of then and "now" brings them back; the screenshots
// (DIR/page.png, DIR/tunnel.png) are not blank and show the unit's stratum colour where it was
// clicked and the highlight colours of the tunnel's result; the rules tab, checking the plot
// (whose registered units pass every rule), says that all pass and lists the API's findings,
// and with the proposed layer (a volume spec and its stratum) reports exactly the listed rules
// broken, by the proposal, and draws it in the view (DIR/rules.png). Exit code 0 only when
// all pass.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values: opt } = parseArgs({
  options: {
    url: { type: 'string' },
    token: { type: 'string' },
    unit: { type: 'string' },
    tunnel: { type: 'string' },
    expect: { type: 'string' },
    'expect-clearance': { type: 'string' },
    'past-date': { type: 'string' },
    'past-count': { type: 'string' },
    'rules-plot': { type: 'string' },
    'rules-proposal': { type: 'string' },
    'rules-stratum': { type: 'string' },
    'rules-broken': { type: 'string' },
    out: { type: 'string' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
  },
});
for (const k of ['url', 'token', 'unit', 'tunnel', 'expect', 'out']) {
  if (!opt[k]) {
    console.error(`page.mjs: --${k} is required`);
    process.exit(2);
  }
}
if (Boolean(opt['past-date']) !== Boolean(opt['past-count'])) {
  console.error('page.mjs: --past-date and --past-count go together');
  process.exit(2);
}
const rulesArgs = ['rules-plot', 'rules-proposal', 'rules-stratum', 'rules-broken'];
if (rulesArgs.some((k) => opt[k]) && !rulesArgs.every((k) => opt[k])) {
  console.error(`page.mjs: ${rulesArgs.map((k) => `--${k}`).join(', ')} go together`);
  process.exit(2);
}
const base = opt.url.replace(/\/+$/, '');
const codes = (s) => (s ? s.split(',').map((c) => c.trim()).filter(Boolean).sort() : []);
const expectMet = codes(opt.expect);
const expectNear = opt['expect-clearance'] === undefined ? null : codes(opt['expect-clearance']);
fs.mkdirSync(opt.out, { recursive: true });

const TIMEOUT = 60_000;
let passed = 0;
const failures = [];

function check(name, ok, detail = '') {
  if (ok) {
    passed++;
    console.log(`ok   ${name}`);
  } else {
    failures.push(`${name}${detail ? `: ${detail}` : ''}`);
    console.log(`FAIL ${name}${detail ? `: ${detail}` : ''}`);
  }
  return ok;
}

const same = (a, b) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

// ---- the API, read directly (what the page should show) -------------------------------------

async function api(p, init = {}) {
  const resp = await fetch(`${base}${p}`, {
    ...init,
    headers: { Authorization: `Bearer ${opt.token}`, 'Content-Type': 'application/json', ...(init.headers ?? {}) },
  });
  const body = await resp.json();
  if (!resp.ok) throw new Error(`${p}: HTTP ${resp.status} ${JSON.stringify(body)}`);
  return body;
}

/** The units of the register's extent (as the page loads them: one page of up to 1000). */
async function unitsNow() {
  const e = (await api('/api/register')).extent;
  if (!e) return [];
  const q = new URLSearchParams({ bbox: [e[0] - 1, e[1] - 1, e[3] + 1, e[4] + 1].join(','), limit: '1000' });
  return (await api(`/api/units?${q}`)).units;
}

async function unitTotal(asOf) {
  const reg = await api('/api/register');
  const e = reg.extent;
  if (!e) return 0;
  const q = new URLSearchParams({ bbox: [e[0] - 1, e[1] - 1, e[3] + 1, e[4] + 1].join(','), limit: '1' });
  if (asOf) q.set('as_of', asOf);
  return (await api(`/api/units?${q}`)).total;
}

// ---- PNG decoding (8-bit RGB or RGBA, not interlaced: what Chromium writes) ------------------

function decodePng(buf) {
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let pos = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const depth = data[8];
      const colour = data[9];
      if (depth !== 8 || (colour !== 2 && colour !== 6) || data[12] !== 0) throw new Error(`unsupported PNG (depth ${depth}, colour ${colour})`);
      channels = colour === 6 ? 4 : 3;
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    pos += 12 + len;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const px = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = px.subarray(y * stride, (y + 1) * stride);
    const prev = y ? px.subarray((y - 1) * stride, y * stride) : null;
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? out[i - channels] : 0;
      const b = prev ? prev[i] : 0;
      const c = prev && i >= channels ? prev[i - channels] : 0;
      let v = line[i];
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      out[i] = v & 0xff;
    }
  }
  return { width, height, channels, px, at: (x, y) => { const i = (y * width + x) * channels; return [px[i], px[i + 1], px[i + 2]]; } };
}

function hsv([r, g, b]) {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const d = max - min;
  let h = 0;
  if (d) {
    if (max === r) h = ((g - b) / d) % 6;
    else if (max === g) h = (b - r) / d + 2;
    else h = (r - g) / d + 4;
  }
  return { h: (h * 60 + 360) % 360, s: max ? d / max : 0, v: max / 255 };
}

const hueGap = (a, b) => Math.min(Math.abs(a - b), 360 - Math.abs(a - b));
const cssRgb = (s) => (s.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);

/** Pixels of a region (excluding rectangles) that have a hue near the colour's. */
function pixelsLike(img, rgb, region, exclude = [], tol = 22) {
  const want = hsv(rgb);
  let n = 0;
  for (let y = Math.max(0, Math.floor(region.y)); y < Math.min(img.height, region.y + region.height); y++) {
    for (let x = Math.max(0, Math.floor(region.x)); x < Math.min(img.width, region.x + region.width); x++) {
      if (exclude.some((r) => x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height)) continue;
      const c = hsv(img.at(x, y));
      if (c.s > 0.3 && c.v > 0.25 && hueGap(c.h, want.h) <= tol) n++;
    }
  }
  return n;
}

function distinctColours(img, region) {
  const seen = new Set();
  for (let y = Math.floor(region.y); y < region.y + region.height; y += 2) {
    for (let x = Math.floor(region.x); x < region.x + region.width; x += 2) seen.add(img.at(x, y).join(','));
  }
  return seen.size;
}

// ---- the browser ----------------------------------------------------------------------------

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-page-'));
const problems = []; // console errors and warnings, page errors, failed requests

function watch(page, into) {
  page.on('console', (m) => {
    if (m.type() !== 'error' && m.type() !== 'warning') return;
    // The software GL driver's own performance notes are not the page's.
    if (/GL Driver Message|GPU stall due to ReadPixels/.test(m.text())) return;
    into.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => into.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => into.push(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('response', (r) => {
    if (r.status() >= 400) into.push(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`);
  });
}

async function screenshotCheck(page, file) {
  const buf = await page.screenshot({ path: path.join(opt.out, file) });
  return decodePng(buf);
}

async function swatch(page, key) {
  return cssRgb(await page.$eval(`[data-swatch="${key}"]`, (e) => getComputedStyle(e).backgroundColor));
}

async function boxes(page, selector) {
  return page.$$eval(selector, (els) => els.filter((e) => e.offsetParent !== null).map((e) => {
    const r = e.getBoundingClientRect();
    return { x: r.x, y: r.y, width: r.width, height: r.height };
  }));
}

async function run(context) {
  // A wrong token: the API's refusal is shown in the panel, not swallowed.
  {
    const page = await context.newPage();
    const seen = [];
    watch(page, seen);
    await page.goto(`${base}/`);
    await page.fill('#token', 'not-a-valid-token');
    await page.click('#btn-signin');
    const err = page.locator('#errors .error');
    await err.first().waitFor({ timeout: TIMEOUT });
    const text = await err.first().innerText();
    check('a wrong token shows the API error in the panel', /401/.test(text) && /unauthori[sz]ed|token/i.test(text), text);
    check('a wrong token leaves the sign-in form', await page.isVisible('#token'));
    await page.close();
  }

  const page = await context.newPage();
  watch(page, problems);
  page.setDefaultTimeout(TIMEOUT);

  // (1) The page loads.
  const resp = await page.goto(`${base}/`, { waitUntil: 'load' });
  check('the page answers 200', resp?.status() === 200, String(resp?.status()));
  check('the page has its title', /Strata/.test(await page.title()));
  await page.waitForFunction(() => window.strataTest !== undefined);
  check('the page loaded with no console error and no failed request', problems.length === 0, problems.join(' | '));

  // (2) Sign in with the token; the units are drawn.
  await page.fill('#token', opt.token);
  await page.click('#btn-signin');
  const ok = await page.evaluate(() => window.strataTest.ready());
  if (!check('signing in loads and draws the units', ok === true, await page.locator('#errors').innerText())) return;
  const total = await unitTotal();
  const drawn = await page.evaluate(() => window.strataTest.unitCount());
  check('every unit the API lists is drawn', drawn === total && total > 0, `${drawn} drawn, the API lists ${total}`);
  const registerText = await page.locator('#register-info').innerText();
  check('the register panel names the CRS and the height datum', /EPSG:\d+/.test(registerText) && /Height datum/.test(registerText), registerText);

  // The known unit: lower the section (keyboard on the slider) until a point of it shows.
  await page.focus('#section');
  let pos = null;
  for (let i = 0; i < 15 && !pos; i++) {
    pos = await page.evaluate((c) => window.strataTest.screenPositionOf(c), opt.unit);
    if (!pos) await page.keyboard.press('PageDown');
  }
  const cut = await page.locator('#section-value').innerText();
  if (!check(`the known unit ${opt.unit} shows in the view (section ${cut})`, pos !== null)) return;
  const under = await page.evaluate(([x, y]) => window.strataTest.codesAt(x, y), [pos.x, pos.y]);
  check("the page's raycast at that point hits the known unit first", under[0] === opt.unit, JSON.stringify(under));
  await page.mouse.move(pos.x, pos.y);
  await page.mouse.click(pos.x, pos.y);
  await page.waitForSelector(`#unit-detail[data-state=done][data-code="${opt.unit}"]`);
  const shown = await page.locator('#unit-detail [data-field=code]').innerText();
  check('a click on the unit shows its code in the detail panel', shown === opt.unit, shown);
  check('the clicked unit is selected', (await page.evaluate(() => window.strataTest.selected())) === opt.unit);
  const detail = await api(`/api/units/${encodeURIComponent(opt.unit)}`);
  const panel = await page.locator('#unit-detail').innerText();
  const holders = (detail.rights ?? []).flatMap((r) => (r.holders ?? []).map((h) => h.name ?? h)).filter((h) => typeof h === 'string');
  check("the detail names the unit's holders", holders.length > 0 && holders.every((h) => panel.includes(h)), `${holders} in ${panel.slice(0, 200)}`);
  check('the detail gives the vertical bounds and the datum', panel.includes(`${detail.unit.measures.z_min.toFixed(1)} – ${detail.unit.measures.z_max.toFixed(1)} m`), panel.slice(0, 400));
  check('the detail shows the six directions, declared and computed', (await page.locator('#unit-detail table.sixto tbody tr').count()) === 6 && /Computed/.test(panel));
  check('the detail links to the parcel map and the certificate', (await page.locator('#unit-detail [data-link=map_pdf], #unit-detail [data-link=map_svg]').count()) > 0 && (await page.locator('#unit-detail [data-link=certificate_pdf]').count()) > 0);

  // (5) The screenshot with the unit selected: not blank; its stratum's colour where it was clicked.
  const canvasBox = (await boxes(page, '#canvas'))[0];
  const img = await screenshotCheck(page, 'page.png');
  const colours = distinctColours(img, canvasBox);
  check('page.png is not blank', colours > 300, `${colours} distinct colours in the view`);
  const stratumRgb = await swatch(page, detail.unit.stratum);
  const near = pixelsLike(img, stratumRgb, { x: pos.x - 6, y: pos.y - 6, width: 13, height: 13 });
  check(`page.png shows the ${detail.unit.stratum} colour where the unit was clicked`, near >= 85, `${near} of 169 pixels near rgb(${stratumRgb})`);

  // (3) The tunnel, loaded from the file and posted from the form.
  await page.focus('#section');
  await page.keyboard.press('End');
  await page.click('#tab-tunnel');
  await page.setInputFiles('#tunnel-file', opt.tunnel);
  await page.waitForFunction(() => document.getElementById('tunnel-centreline').value.trim().split('\n').length >= 2);
  await page.click('#btn-query');
  await page.waitForSelector('#tunnel-result[data-state=done], #tunnel-result[data-state=error]');
  if (!check('the tunnel query answers', (await page.getAttribute('#tunnel-result', 'data-state')) === 'done', await page.locator('#errors').innerText())) return;
  const met = await page.$$eval('#tunnel-met [data-code]', (els) => els.map((e) => e.dataset.code));
  const clear = await page.$$eval('#tunnel-clear [data-code]', (els) => els.map((e) => e.dataset.code));
  check('the page lists exactly the units the tunnel meets', same(met, expectMet), `${met} (expected ${expectMet})`);
  if (expectNear) check('the page lists exactly the units within the clearance', same(clear, expectNear), `${clear} (expected ${expectNear})`);
  const lit = await page.evaluate(() => window.strataTest.highlighted());
  check('the view highlights exactly the listed units', same(lit, [...met, ...clear]), `${lit}`);
  const resultText = await page.locator('#tunnel-result').innerText();
  check('the result gives shared volumes, elevations and depths', /m³/.test(resultText) && /Shared elevations/.test(resultText) && /Below ground/.test(resultText), resultText.slice(0, 300));
  await page.mouse.move(canvasBox.x + 5, canvasBox.y + canvasBox.height / 2);
  const timg = await screenshotCheck(page, 'tunnel.png');
  const cards = await boxes(page, '#view .card, #tooltip');
  const red = pixelsLike(timg, await swatch(page, 'met'), canvasBox, cards, 15);
  check('tunnel.png shows the met units in the highlight colour', expectMet.length === 0 || red > 500, `${red} pixels`);
  if (expectNear?.length) {
    const yellow = pixelsLike(timg, await swatch(page, 'clearance'), canvasBox, cards, 12);
    check('tunnel.png shows the units within the clearance in their colour', yellow > 500, `${yellow} pixels`);
  }
  check('tunnel.png is not blank', distinctColours(timg, canvasBox) > 300);

  // (4) A past date reloads the units as the register then stood; "now" returns.
  if (opt['past-date']) {
    await page.fill('#asof', opt['past-date']);
    const pastOk = await page.evaluate(() => window.strataTest.ready());
    const pastCount = await page.evaluate(() => window.strataTest.unitCount());
    check(`as of ${opt['past-date']} the page shows ${opt['past-count']} units`, pastOk && pastCount === Number(opt['past-count']), `${pastCount} shown`);
    check('the past view is marked as such', (await page.locator('#title-asof').innerText()).includes(opt['past-date']));
    check("a past date clears the tunnel's highlight", (await page.evaluate(() => window.strataTest.highlighted())).length === 0);
    await page.click('#btn-now');
    const nowOk = await page.evaluate(() => window.strataTest.ready());
    const nowCount = await page.evaluate(() => window.strataTest.unitCount());
    check('"now" brings back every unit', nowOk && nowCount === total, `${nowCount} shown`);
  }

  if (opt['rules-plot']) await rulesTab(page, canvasBox);

  check('no console error or warning and no failed request during the run', problems.length === 0, problems.join(' | '));
}

// ---- the rules tab ----------------------------------------------------------------------------

/** Checks the plot from the rules tab, with the proposed layer or without; the API's answer
 * to the same request and the findings the page lists. */
async function rulesCheck(page, withProposal) {
  const proposal = withProposal ? { volume: opt['rules-proposal'], stratum: opt['rules-stratum'] } : undefined;
  await page.fill('#rules-volume', proposal?.volume ?? '');
  if (proposal) await page.selectOption('#rules-stratum', proposal.stratum);
  await page.selectOption('#rules-plot', opt['rules-plot']);
  await page.click('#btn-rules-check');
  await page.waitForFunction(() => !['loading', undefined].includes(document.getElementById('rules-result').dataset.state));
  const state = await page.getAttribute('#rules-result', 'data-state');
  const answer = await api('/api/rules', { method: 'POST', body: JSON.stringify({ plot: opt['rules-plot'], proposal }) });
  const rows = await page.$$eval('#rules-findings li.finding', (els) => els.map((e) => ({
    rule: e.dataset.rule, unit: e.dataset.unit, passed: e.dataset.passed === 'true', binding: e.dataset.binding === 'true',
    status: e.querySelector('[data-field=status]')?.textContent ?? '', message: e.querySelector('[data-field=message]')?.textContent ?? '',
    text: e.innerText,
  })));
  const summary = state === 'done' ? await page.locator('#rules-summary').innerText() : await page.locator('#errors').innerText();
  const broken = await page.getAttribute('#rules-summary', 'data-broken').catch(() => null);
  return { state, answer, rows, summary, broken };
}

async function rulesTab(page, canvasBox) {
  const plot = opt['rules-plot'];
  await page.click('#tab-rules');
  check('the rules tab shows its pane', await page.isVisible('#pane-rules') && !(await page.isVisible('#pane-tunnel')));
  const listed = await page.$$eval('#rules-plot option', (els) => els.map((e) => e.value));
  const plots = [...new Set((await unitsNow()).map((u) => u.plot).filter(Boolean))];
  check('the plot selector lists the plots of the units', same(listed, plots) && listed.includes(plot), `${listed} (the units' plots: ${plots})`);

  const plain = await rulesCheck(page, false);
  if (!check(`the rules check of ${plot} answers`, plain.state === 'done', plain.summary)) return;
  check(`without a proposal the page says all rules of ${plot} pass (0 broken)`, plain.broken === '0' && /All rules pass/.test(plain.summary) && plain.answer.broken === 0, `${plain.summary} (API: ${plain.answer.broken} broken)`);
  check('the page lists every finding of the API, each with its rule', plain.rows.length === plain.answer.findings.length && plain.rows.length > 0 && same(plain.rows.map((r) => r.rule), plain.answer.findings.map((f) => f.rule)), `${plain.rows.length} rows, ${plain.answer.findings.length} findings`);
  const sources = plain.answer.findings.map((f) => f.source).filter(Boolean);
  check('each finding row gives its source, figure and limit', plain.rows.every((r) => /依据 Source/.test(r.text) && /数值 Figure/.test(r.text) && /限值 Limit/.test(r.text)) && sources.every((s) => plain.rows.some((r) => r.text.includes(s))), plain.rows[0]?.text);
  check('each passed finding says so in words', plain.rows.every((r) => r.passed && /Passed/.test(r.status)), plain.rows.map((r) => r.status).join(', '));

  const wanted = codes(opt['rules-broken']);
  const prop = await rulesCheck(page, true);
  if (!check('the rules check with the proposed layer answers', prop.state === 'done', prop.summary)) return;
  const n = wanted.length;
  check(`with the proposed layer the page reports ${n} broken`, prop.broken === String(n) && prop.summary.includes(`${n} rule${n === 1 ? '' : 's'} broken`) && prop.answer.broken === n, `${prop.summary} (API: ${prop.answer.broken} broken)`);
  const failing = prop.rows.filter((r) => !r.passed && r.binding);
  const expected = prop.answer.findings.filter((f) => !f.passed && f.binding);
  check(`the page shows the failing ${wanted.join(', ')} row for the proposal`, same(failing.map((r) => r.rule), wanted) && failing.every((r) => r.unit === 'proposal' && /Broken/.test(r.status) && /拟建 Proposal/.test(r.text)), JSON.stringify(failing));
  check("the failing row gives the API's message", expected.every((f) => failing.some((r) => r.message === f.message)), failing.map((r) => r.message).join(' | '));
  check('the page lists every finding with the proposal too', prop.rows.length === prop.answer.findings.length, `${prop.rows.length} rows, ${prop.answer.findings.length} findings`);

  const hook = await page.evaluate(() => window.strataTest.rules());
  check('the view draws the proposed layer', hook?.drawn === true && hook.proposal === opt['rules-proposal'], JSON.stringify(hook));
  await page.locator('#rules-summary').scrollIntoViewIfNeeded();
  await page.mouse.move(canvasBox.x + 5, canvasBox.y + canvasBox.height / 2);
  const rimg = await screenshotCheck(page, 'rules.png');
  const cards = await boxes(page, '#view .card, #tooltip');
  const magenta = pixelsLike(rimg, await swatch(page, 'proposal'), canvasBox, cards, 15);
  check('rules.png shows the proposed layer in its colour', magenta > 150, `${magenta} pixels`);
}

let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: opt.chromium,
    headless: true,
    viewport: { width: 1280, height: 800 },
    deviceScaleFactor: 1,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--use-gl=angle', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
    ],
  });
  await run(context);
} catch (e) {
  check('the run finishes', false, e.stack ?? String(e));
} finally {
  await context?.close().catch(() => {});
  fs.rmSync(profile, { recursive: true, force: true });
}

console.log(`page: ${passed} passed, ${failures.length} failed`);
if (failures.length) {
  console.log(`failed:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
