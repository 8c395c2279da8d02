/** Small DOM helpers for the page (plain TypeScript, no framework: the views are a few tables and charts). */

type Child = Node | string | number | null | undefined | false;

/** An element with attributes (`class`, `data-*`, ...; functions become listeners) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, unknown> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v as EventListener);
    else if (k === 'value' && 'value' in el) (el as HTMLInputElement).value = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(typeof c === 'number' ? String(c) : c);
  return el;
}

/** A number with `digits` decimals, or '–' when missing. */
export function fmt(v: number | null | undefined, digits = 2): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits);
}

/** An ISO time as local `YYYY-MM-DD HH:MM`. */
export function when(iso: string | null): string {
  if (!iso) return '–';
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** The status as a coloured badge. */
export function statusBadge(status: string): HTMLElement {
  return h('span', { class: `status status-${status}` }, status);
}

/** The nodes among `children` (conditional parts of a view are null when absent). */
export function present(...children: Array<Node | string | null | undefined | false>): Array<Node | string> {
  return children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false);
}
