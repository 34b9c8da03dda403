// Small helpers for server-rendered SVG: escaping and number formatting that keeps golden files stable.

export const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Coordinates rounded to 0.1 px. */
export const px = (n: number) => (Math.round(n * 10) / 10).toString();

/** A linear scale from a domain to a range. */
export const linear = (domain: [number, number], range: [number, number]) => (value: number) =>
  range[0] + ((value - domain[0]) / (domain[1] - domain[0] || 1)) * (range[1] - range[0]);

/** Round numbers for axis ticks covering 0..max. */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0];
  const rough = max / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? rough;
  const ticks: number[] = [];
  for (let v = 0; v <= max + step * 1e-9; v += step) ticks.push(Math.round(v * 1e6) / 1e6);
  if (ticks[ticks.length - 1]! < max)
    ticks.push(Math.round((ticks[ticks.length - 1]! + step) * 1e6) / 1e6);
  return ticks;
}

/** The opening of an accessible chart: the svg element, then its title and description for screen readers. */
export function svgOpen(o: {
  id: string;
  title: string;
  description: string;
  width: number;
  height: number;
  className?: string;
  role?: 'img' | 'group';
}): string[] {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="${o.className ?? 'app-chart'}" viewBox="0 0 ${o.width} ${o.height}" role="${o.role ?? 'img'}" aria-labelledby="${o.id}-title ${o.id}-desc">`,
    `<title id="${o.id}-title">${escapeXml(o.title)}</title>`,
    `<desc id="${o.id}-desc">${escapeXml(o.description)}</desc>`,
  ];
}
