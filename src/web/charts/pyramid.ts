// Population pyramid as SVG: the practice's bars by sex and age band, the group and England as outlines.
import { escapeXml, linear, niceTicks, px, svgOpen } from './svg.js';

export interface PyramidBand {
  band: string;
  femalePct: number | null;
  malePct: number | null;
  groupFemalePct: number | null;
  groupMalePct: number | null;
  englandFemalePct: number | null;
  englandMalePct: number | null;
}

export interface PyramidLabels {
  title: string;
  description: string;
  practice: string;
  group: string;
  england: string;
}

const width = 640;
const rowHeight = 18;
const top = 44;
const middleGap = 56;
const edge = 16; // room for the outermost tick labels
const side = (width - middleGap) / 2;

/** Renders the pyramid; bands are listed youngest first and drawn oldest at the top. */
export function pyramidSvg(bands: readonly PyramidBand[], labels: PyramidLabels): string {
  const values = bands.flatMap((b) => [
    b.femalePct,
    b.malePct,
    b.groupFemalePct,
    b.groupMalePct,
    b.englandFemalePct,
    b.englandMalePct,
  ]);
  const max = Math.max(1, ...values.filter((v): v is number => v !== null));
  const ticks = niceTicks(max, 3);
  const extent = ticks[ticks.length - 1]!;
  const height = top + bands.length * rowHeight + 36;
  const malesX = linear([0, extent], [side, edge]);
  const femalesX = linear([0, extent], [side + middleGap, width - edge]);
  const ordered = [...bands].reverse();
  const y = (i: number) => top + i * rowHeight;
  const parts: string[] = [];
  parts.push(
    ...svgOpen({
      id: 'pyramid',
      title: labels.title,
      description: labels.description,
      width,
      height,
    }),
    `<text x="${px(side / 2)}" y="16" text-anchor="middle" class="app-chart__heading">Male</text>`,
    `<text x="${px(side + middleGap + side / 2)}" y="16" text-anchor="middle" class="app-chart__heading">Female</text>`,
  );
  for (const t of ticks) {
    for (const x of [malesX(t), femalesX(t)]) {
      parts.push(
        `<line x1="${px(x)}" x2="${px(x)}" y1="${top - 4}" y2="${px(y(bands.length))}" class="app-chart__grid"/>`,
      );
    }
    parts.push(
      `<text x="${px(malesX(t))}" y="${px(y(bands.length) + 14)}" text-anchor="middle" class="app-chart__tick">${t}%</text>`,
    );
    parts.push(
      `<text x="${px(femalesX(t))}" y="${px(y(bands.length) + 14)}" text-anchor="middle" class="app-chart__tick">${t}%</text>`,
    );
  }
  ordered.forEach((b, i) => {
    const barY = y(i) + 2;
    const barH = rowHeight - 4;
    if (b.malePct !== null) {
      parts.push(
        `<rect x="${px(malesX(b.malePct))}" y="${px(barY)}" width="${px(side - malesX(b.malePct))}" height="${barH}" class="app-chart__bar app-chart__bar--male"/>`,
      );
    }
    if (b.femalePct !== null) {
      parts.push(
        `<rect x="${px(side + middleGap)}" y="${px(barY)}" width="${px(femalesX(b.femalePct) - side - middleGap)}" height="${barH}" class="app-chart__bar app-chart__bar--female"/>`,
      );
    }
    parts.push(
      `<text x="${px(width / 2)}" y="${px(barY + barH - 3)}" text-anchor="middle" class="app-chart__label">${escapeXml(b.band)}</text>`,
    );
  });
  const outline = (
    pick: (b: PyramidBand) => number | null,
    scale: (v: number) => number,
    cls: string,
  ) => {
    const points: string[] = [];
    ordered.forEach((b, i) => {
      const v = pick(b);
      if (v === null) return;
      const x = px(scale(v));
      points.push(`${x},${px(y(i))}`, `${x},${px(y(i) + rowHeight)}`);
    });
    return points.length ? `<polyline points="${points.join(' ')}" class="${cls}"/>` : '';
  };
  parts.push(
    outline((b) => b.groupMalePct, malesX, 'app-chart__line app-chart__line--group'),
    outline((b) => b.groupFemalePct, femalesX, 'app-chart__line app-chart__line--group'),
    outline((b) => b.englandMalePct, malesX, 'app-chart__line app-chart__line--england'),
    outline((b) => b.englandFemalePct, femalesX, 'app-chart__line app-chart__line--england'),
  );
  const legendY = height - 8;
  parts.push(
    `<rect x="0" y="${legendY - 9}" width="12" height="10" class="app-chart__bar app-chart__bar--male"/><rect x="12" y="${legendY - 9}" width="12" height="10" class="app-chart__bar app-chart__bar--female"/>`,
    `<text x="30" y="${legendY}" class="app-chart__tick">${escapeXml(labels.practice)}</text>`,
    `<line x1="230" x2="254" y1="${legendY - 4}" y2="${legendY - 4}" class="app-chart__line app-chart__line--group"/>`,
    `<text x="260" y="${legendY}" class="app-chart__tick">${escapeXml(labels.group)}</text>`,
    `<line x1="450" x2="474" y1="${legendY - 4}" y2="${legendY - 4}" class="app-chart__line app-chart__line--england"/>`,
    `<text x="480" y="${legendY}" class="app-chart__tick">${escapeXml(labels.england)}</text>`,
    '</svg>',
  );
  return parts.filter(Boolean).join('\n');
}
