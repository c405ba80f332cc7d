/**
 * Renders the real card components to plain HTML for the local preview, without
 * react-dom: the components run in @hubspot/ui-extensions' own test renderer
 * (React + @remote-ui, the same reconciler HubSpot's worker uses), and the
 * resulting tree of HubSpot components is mapped to HTML elements here. What you
 * see is therefore the exact component tree HubSpot would receive, drawn with a
 * plain-HTML approximation of HubSpot's styling (not HubSpot's own look).
 */
import type { ReactElement } from 'react';
import { createRenderer, type RenderedChildNode, type RenderedElementNode } from '@hubspot/ui-extensions/testing';

export type Renderer = ReturnType<typeof createRenderer>;
export type PreviewLocation = 'crm.record.sidebar' | 'crm.record.tab' | 'settings';

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESC[c] ?? c);

type Props = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
const attr = (name: string, v: unknown): string => (v === undefined || v === null || v === false ? '' : v === true ? ` ${name}` : ` ${name}="${escapeHtml(String(v))}"`);
const cls = (...names: (string | false | undefined)[]): string => ` class="${names.filter(Boolean).join(' ')}"`;

function label(props: Props): string {
  const l = str(props.label);
  if (!l) return '';
  return `<span class="label">${escapeHtml(l)}${props.required ? ' <em>*</em>' : ''}</span>`;
}

function fieldFooter(props: Props): string {
  const desc = str(props.description) ? `<span class="desc">${escapeHtml(str(props.description))}</span>` : '';
  const msg = str(props.validationMessage) ? `<span class="validation">${escapeHtml(str(props.validationMessage))}</span>` : '';
  return desc + msg;
}

/**
 * Set while an interactive page renders (live-session.ts): every node a person can
 * click or type into gets a `data-node` number the page sends back with the event.
 */
let registerNode: ((node: RenderedElementNode) => number) | undefined;
const INTERACTIVE = new Set(['Button', 'LoadingButton', 'Checkbox', 'Toggle', 'TextArea', 'Textarea', 'Input', 'NumberInput', 'Select']);

/** HTML of a rendered tree whose interactive nodes carry `data-node` ids from `register`. */
export function interactiveHtml(root: { childNodes: RenderedChildNode[] }, register: (node: RenderedElementNode) => number): string {
  registerNode = register;
  try {
    return children(root);
  } finally {
    registerNode = undefined;
  }
}

function children(node: { childNodes: RenderedChildNode[] }): string {
  return node.childNodes.map(toHtml).join('');
}

function element(node: RenderedElementNode): string {
  const p = node.props as Props;
  const inner = () => children(node);
  const testId = attr('data-testid', p.testId) + (registerNode && INTERACTIVE.has(node.name) ? attr('data-node', registerNode(node)) : '');
  switch (node.name) {
    case 'Flex':
    case 'Inline':
    case 'Stack':
    case 'Box':
    case 'AutoGrid':
      return `<div${cls('flex', `dir-${str(p.direction) || (node.name === 'Inline' ? 'row' : 'column')}`, `gap-${str(p.gap ?? p.distance) || 'sm'}`, p.wrap ? 'wrap' : undefined, `align-${str(p.align) || 'stretch'}`)}${testId}>${inner()}</div>`;
    case 'Tile':
      return `<div${cls('tile')}${testId}>${inner()}</div>`;
    case 'Heading':
      return `<h3${testId}>${inner()}</h3>`;
    case 'Text': {
      const format = (p.format ?? {}) as Props;
      const tag = p.inline ? 'span' : 'p';
      return `<${tag}${cls('text', p.variant === 'microcopy' && 'micro', format.fontWeight === 'bold' && 'bold', format.fontWeight === 'demibold' && 'demi')}${testId}>${inner()}</${tag}>`;
    }
    case 'Divider':
      return '<hr>';
    case 'Alert':
      return `<div${cls('alert', `alert-${str(p.variant) || 'info'}`)}${testId}><strong>${escapeHtml(str(p.title))}</strong>${node.childNodes.length ? `<div>${inner()}</div>` : ''}</div>`;
    case 'ErrorState':
    case 'EmptyState':
      return `<div${cls('state', node.name === 'ErrorState' ? 'state-error' : 'state-empty')}${testId}><div class="state-icon">${node.name === 'ErrorState' ? '⚠' : '☐'}</div><strong>${escapeHtml(str(p.title))}</strong>${inner()}</div>`;
    case 'LoadingSpinner':
      return `<div class="spinner"${testId}><span class="spin"></span>${p.showLabel ? escapeHtml(str(p.label)) : ''}</div>`;
    case 'Button':
    case 'LoadingButton':
      return `<button${cls('btn', `btn-${str(p.variant) || 'secondary'}`)}${attr('disabled', p.disabled)}${testId}>${p.loading ? '<span class="spin"></span>' : ''}${inner()}</button>`;
    case 'ButtonRow':
      return `<div class="flex dir-row gap-sm">${inner()}</div>`;
    case 'Tag':
    case 'StatusTag':
      return `<span${cls('tag', `tag-${str(p.variant) || 'default'}`, node.name === 'StatusTag' && 'status')}>${inner()}</span>`;
    case 'ProgressBar': {
      const max = Number(p.maxValue ?? 100) || 100;
      const pct = Math.max(0, Math.min(100, (Number(p.value ?? 0) / max) * 100));
      return `<div class="progress"${testId}><span class="label">${escapeHtml(str(p.title))}</span><div class="bar"><div class="fill fill-${str(p.variant) || 'success'}" style="width:${pct.toFixed(1)}%"></div></div></div>`;
    }
    case 'List':
      return `<ul${testId}>${node.childNodes.map((c) => `<li>${toHtml(c)}</li>`).join('')}</ul>`;
    case 'DescriptionList':
      return `<dl${testId}>${inner()}</dl>`;
    case 'DescriptionListItem':
      return `<dt>${escapeHtml(str(p.label))}</dt><dd>${inner()}</dd>`;
    case 'Checkbox':
      return `<label class="check"${testId}><input type="checkbox"${attr('checked', p.checked)}${attr('disabled', p.readOnly)}> <span>${inner()}</span>${str(p.description) ? `<span class="desc">${escapeHtml(str(p.description))}</span>` : ''}</label>`;
    case 'Toggle':
      return `<label class="check toggle"${testId}><input type="checkbox"${attr('checked', p.checked)}${attr('disabled', p.readOnly)}> <span>${escapeHtml(str(p.label))}</span></label>`;
    case 'ToggleGroup': {
      const value = Array.isArray(p.value) ? (p.value as unknown[]).map(String) : [str(p.value)];
      const options = (p.options ?? []) as { label: string; value: string }[];
      return `<fieldset class="field">${label(p)}<div class="flex dir-row gap-sm wrap">${options.map((o) => `<label class="check"><input type="checkbox"${attr('checked', value.includes(String(o.value)))}> ${escapeHtml(o.label)}</label>`).join('')}</div>${fieldFooter(p)}</fieldset>`;
    }
    case 'TextArea':
    case 'Textarea':
      return `<label${cls('field', Boolean(p.error) && 'invalid')}${testId}>${label(p)}<textarea rows="${Number(p.rows ?? 3)}"${attr('readonly', p.readOnly)}${attr('placeholder', p.placeholder)}>${escapeHtml(str(p.value))}</textarea>${fieldFooter(p)}</label>`;
    case 'Input':
    case 'NumberInput':
      return `<label${cls('field', Boolean(p.error) && 'invalid')}${testId}>${label(p)}<input type="${node.name === 'NumberInput' ? 'number' : 'text'}" value="${escapeHtml(str(p.value))}"${attr('readonly', p.readOnly)}>${fieldFooter(p)}</label>`;
    case 'Select': {
      const options = (p.options ?? []) as { label: string; value: unknown }[];
      const selected = String(p.value ?? '');
      const placeholder = options.some((o) => String(o.value) === selected) ? '' : '<option selected>—</option>';
      return `<label${cls('field', Boolean(p.error) && 'invalid')}${testId}>${label(p)}<select${attr('disabled', p.readOnly)}>${placeholder}${options.map((o) => `<option${registerNode ? attr('data-value', JSON.stringify(o.value)) : ''}${attr('selected', String(o.value) === selected)}>${escapeHtml(o.label)}</option>`).join('')}</select>${fieldFooter(p)}</label>`;
    }
    case 'Table': {
      const pager = p.paginated ? `<div class="pager">‹ ${Number(p.page ?? 1)} / ${Number(p.pageCount ?? 1)} ›</div>` : '';
      return `<table${testId}>${inner()}</table>${pager}`;
    }
    case 'TableHead':
      return `<thead>${inner()}</thead>`;
    case 'TableBody':
      return `<tbody>${inner()}</tbody>`;
    case 'TableRow':
      return `<tr>${inner()}</tr>`;
    case 'TableHeader':
      return `<th>${inner()}</th>`;
    case 'TableCell':
      return `<td>${inner()}</td>`;
    case 'Accordion':
      return `<details${attr('open', true)}${testId}><summary>${escapeHtml(str(p.title))}</summary>${inner()}</details>`;
    default:
      return `<div data-component="${escapeHtml(node.name)}">${inner()}</div>`;
  }
}

export function toHtml(node: RenderedChildNode): string {
  if (node.nodeType === 'text') return escapeHtml(node.text);
  return element(node as RenderedElementNode);
}

/**
 * Fires an event handler with an argument. The testing library types the argument
 * of trigger() as the handler itself (0.17), so the call goes through this one cast.
 */
export function fire(node: { trigger: (...args: never[]) => void }, event: string, arg?: unknown): void {
  (node.trigger as unknown as (event: string, arg?: unknown) => void)(event, arg);
}

export interface RenderOptions {
  location: PreviewLocation;
  element: ReactElement;
  /** Drives the card into the state to show (e.g. press toss-up) and waits until it shows it. */
  settle: (r: Renderer) => Promise<void>;
}

/** Renders a component, lets it settle into the wanted state, and returns its HTML. */
export async function renderComponentToHtml(options: RenderOptions): Promise<string> {
  const renderer = createRenderer(options.location);
  renderer.render(options.element);
  await options.settle(renderer);
  return children(renderer.getRootNode());
}

/** The stylesheet of the preview page: a plain approximation of HubSpot's card look. */
export const PREVIEW_CSS = `
body{font-family:"Lexend Deca",Helvetica,Arial,"Hiragino Sans","Noto Sans JP","IPAPGothic",sans-serif;background:#f5f8fa;color:#33475b;margin:24px;font-size:14px}
.card{background:#fff;border:1px solid #dfe3eb;border-radius:4px;padding:16px;box-sizing:border-box}
.card.sidebar{width:320px}.card.tab{width:960px}.card.settings{width:860px}
.card-title{font-weight:600;font-size:16px;margin:0 0 12px}
.flex{display:flex}.dir-column{flex-direction:column}.dir-row{flex-direction:row}.wrap{flex-wrap:wrap}.align-center{align-items:center}.align-end{align-items:flex-end}.align-start{align-items:flex-start}
.gap-xs{gap:4px}.gap-sm{gap:8px}.gap-md{gap:16px}.gap-lg{gap:24px}
.tile{border:1px solid #dfe3eb;border-radius:4px;padding:12px;flex:1;min-width:280px}
h3{font-size:15px;margin:4px 0}.text{margin:0}.micro{font-size:12px;color:#516f90}.bold{font-weight:700}.demi{font-weight:600}
hr{border:0;border-top:1px solid #dfe3eb;width:100%;margin:8px 0}
.alert{border-left:4px solid #00a4bd;background:#e5f8fb;padding:8px 12px;border-radius:2px}.alert strong{display:block}
.alert-warning{border-color:#f5c26b;background:#fef8f0}.alert-danger,.alert-error{border-color:#f2545b;background:#fdedee}.alert-success{border-color:#00bda5;background:#e5f8f6}
.state{text-align:center;padding:24px;display:flex;flex-direction:column;gap:8px;align-items:center}.state-icon{font-size:32px;color:#7c98b6}
.spinner{display:flex;gap:8px;align-items:center;justify-content:center;padding:24px;color:#516f90}
.spin{display:inline-block;width:14px;height:14px;border:2px solid #cbd6e2;border-top-color:#ff7a59;border-radius:50%}
.btn{border-radius:3px;padding:8px 16px;font-size:14px;border:1px solid #ff7a59;cursor:pointer;font-family:inherit;align-self:flex-start}
.btn-primary{background:#ff7a59;color:#fff}.btn-secondary{background:#fff;color:#ff7a59}.btn-destructive{background:#f2545b;border-color:#f2545b;color:#fff}.btn-transparent{border:0;background:none;color:#0091ae}
.btn[disabled]{background:#eaf0f6;border-color:#cbd6e2;color:#b0c1d4;cursor:not-allowed}
.tag{display:inline-block;padding:1px 8px;border-radius:3px;font-size:12px;background:#eaf0f6;border:1px solid #cbd6e2}
.tag-info{background:#e5f8fb;border-color:#7fd1de}.tag-warning{background:#fef8f0;border-color:#fac67a}.tag-success{background:#e5f8f6;border-color:#7fded2}.tag-danger,.tag-error{background:#fdedee;border-color:#f8a9ad}
.progress .bar{height:8px;background:#eaf0f6;border-radius:4px;overflow:hidden;margin-top:4px}.fill{height:100%}.fill-success{background:#00bda5}.fill-warning{background:#f5c26b}.fill-danger{background:#f2545b}
ul{margin:0;padding-left:18px}dl{margin:0;display:grid;grid-template-columns:max-content 1fr;gap:4px 12px}dt{color:#516f90;font-size:12px}dd{margin:0}
.field{display:flex;flex-direction:column;gap:4px}.label{font-size:12px;font-weight:600}.label em{color:#f2545b;font-style:normal}
.desc{font-size:12px;color:#7c98b6}.validation{font-size:12px;color:#f2545b}.invalid textarea,.invalid input,.invalid select{border-color:#f2545b}
textarea,input[type=text],input[type=number],select{border:1px solid #cbd6e2;border-radius:3px;padding:6px 8px;font-family:inherit;font-size:14px;background:#f5f8fa;color:#33475b}
.check{display:flex;gap:6px;align-items:baseline;flex-wrap:wrap}.check .desc{flex-basis:100%;padding-left:22px}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #dfe3eb;padding:6px 8px;text-align:left;vertical-align:top}th{background:#f5f8fa;font-size:12px}
.pager{text-align:center;color:#516f90;padding:6px}
details{border:1px solid #dfe3eb;border-radius:4px;padding:8px 12px}summary{font-weight:600;cursor:pointer;margin-bottom:8px}
fieldset{border:0;padding:0;margin:0}
nav a{margin-right:12px}.state-list li{margin:4px 0}
`;
