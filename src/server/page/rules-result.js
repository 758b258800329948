// The answer of a rules check in the rules pane: a summary (rules broken, or all passed), then
// one card per finding (its rule and source, the unit, the figure against the limit, passed or
// broken in words and colour, non-binding ones marked informative, and the service's message),
// and the notice when the service checks no rules.

import { state } from './state.js';
import { $, el, facts, NF1, NF2, plain } from './dom.js';
import { STRATUM_LABEL } from './constants.js';
import { selectUnit } from './detail.js';
import { showTab } from './tabs.js';

/** Shows a check's answer; body is the request it answers. */
export function renderRules(result, body) {
  const findings = [...(result.findings ?? [])].sort((a, b) => rank(a) - rank(b));
  const broken = typeof result.broken === 'number' ? result.broken : findings.filter((f) => rank(f) === 0).length;
  const p = body.proposal;
  $('rules-result').replaceChildren(
    summary(broken, findings),
    facts([
      ['宗地 Plot', body.plot, 'plot'],
      ['拟建 Proposed layer', p ? [el('code', { class: 'spec', text: p.volume }), ` · ${STRATUM_LABEL[p.stratum] ?? p.stratum}`] : '无 None', 'proposal'],
      ['登记簿 Register', state.asOf ? `现行登记簿（非 ${state.asOf}）· As it is now, not as of ${state.asOf}` : null, 'as-of'],
    ]),
    el('h3', {}, '检查结果 Findings ', el('span', { class: 'muted', text: `(${findings.length})` })),
    findings.length
      ? el('ol', { id: 'rules-findings', class: 'findings' }, findings.map(findingItem))
      : el('p', { id: 'rules-findings', class: 'muted', text: '本宗地无适用规则 · No rule applies to this plot' }),
  );
}

/** Broken binding findings first, then unmet informative ones, then those passed. */
const rank = (f) => (f.passed ? 2 : f.binding === false ? 1 : 0);

function summary(broken, findings) {
  const ok = broken === 0;
  const rules = broken === 1 ? 'rule' : 'rules';
  const passed = findings.filter((f) => f.passed).length;
  return el('div', { id: 'rules-summary', class: `rules-summary ${ok ? 'ok' : 'broken'}`, 'data-broken': String(broken) },
    el('span', { class: 'rules-summary-icon', 'aria-hidden': 'true', text: ok ? '✓' : '✗' }),
    el('div', {},
      el('strong', { text: ok ? '全部通过 · All rules pass' : `${broken} 条规则未通过 · ${broken} ${rules} broken` }),
      el('span', { class: 'small', text: `${findings.length} 项检查 findings · ${passed} 项通过 passed · ${broken} 项未通过 broken` })));
}

function findingItem(f) {
  const status = f.passed ? 'passed' : f.binding === false ? 'unmet' : 'broken';
  const label = { passed: '✓ 通过 Passed', unmet: '! 未满足 Not met', broken: '✗ 未通过 Broken' }[status];
  return el('li', {
    class: `finding ${status}`, 'data-rule': f.rule, 'data-unit': f.unit ?? '', 'data-passed': String(Boolean(f.passed)),
    'data-binding': String(f.binding !== false),
  },
  el('div', { class: 'finding-head' },
    el('span', { class: `badge status ${status}`, 'data-field': 'status', text: label }),
    f.binding === false ? el('span', { class: 'badge info', title: '不具约束力，仅供参考 Not binding', text: '参考 Informative' }) : null,
    el('code', { class: 'finding-rule', 'data-field': 'rule', text: f.rule })),
  el('p', { class: 'finding-message', 'data-field': 'message', text: f.message ?? '' }),
  facts([
    ['依据 Source', f.source, 'source'],
    ['单元 Unit', unitCell(f.unit), 'unit'],
    ['数值 Figure', valueText(f.rule, f.figure), 'figure'],
    ['限值 Limit', valueText(f.rule, f.limit, true), 'limit'],
  ]));
}

/** The unit a finding is about: the whole plot, the proposed layer, or a link to a unit. */
function unitCell(unit) {
  if (unit === null || unit === undefined) return '宗地整体 Whole plot';
  if (unit === 'proposal') return el('span', { class: 'badge proposal', text: '拟建 Proposal' });
  if (!state.units.has(unit)) return unit;
  return el('button', {
    type: 'button', class: 'link', title: '查看登记信息 Show its register page', text: unit,
    onclick: () => { selectUnit(unit); showTab('unit'); },
  });
}

/** A figure or limit in the rule's measure (…share: a percentage, …_m: metres, …_m2: m²),
 * a limit with its direction (min_…: ≥, max_…: ≤). */
function valueText(rule, v, limit = false) {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'number') return plain(v);
  const key = String(rule ?? '').split('.').pop();
  const bound = !limit ? '' : key.startsWith('min') ? '≥ ' : key.startsWith('max') ? '≤ ' : '';
  if (/share|ratio/.test(key)) return `${bound}${NF1.format(v * 100)} %`;
  if (/_m2$/.test(key)) return `${bound}${NF1.format(v)} m²`;
  if (/_m3$/.test(key)) return `${bound}${NF1.format(v)} m³`;
  if (/_m$/.test(key)) return `${bound}${NF2.format(v)} m`;
  return `${bound}${plain(v)}`;
}

/** The service checks no rules (started without --rules): its message, in the pane. */
export function renderNotConfigured(message) {
  $('rules-result').replaceChildren(el('div', { id: 'rules-summary', class: 'rules-summary notice', role: 'status' },
    el('span', { class: 'rules-summary-icon', 'aria-hidden': 'true', text: 'ⓘ' }),
    el('div', {},
      el('strong', { text: '未配置规划规则 · No planning rules configured' }),
      el('span', { 'data-field': 'message', text: message }),
      el('span', { class: 'small muted', text: '管理员可用 --rules 文件启动服务 · An administrator starts the service with --rules FILE' }))));
}
