// HTTP routes for prescribing: the group's measures, one measure, one practice, price-per-unit savings; pages, API, CSV.
import type { Context, Hono } from 'hono';
import type { GroupAccess } from '../organisations/group-access.js';
import type { Group } from '../organisations/group.service.js';
import type { DataCache } from '../platform/db/data-cache.js';
import type { Db } from '../platform/db/schema.js';
import type { FactStore } from '../platform/facts/fact-store.js';
import { toCsv } from '../platform/http/csv.js';
import type { AppEnv } from '../platform/http/http.types.js';
import { sendCsv } from '../platform/http/json.js';
import { penceAsPounds } from '../platform/money.js';
import { MIN_PRACTICE_SAVING_PENCE } from './price-per-unit.js';
import { directionText, findMeasure } from './measures.js';
import {
  groupMeasure,
  groupMeasures,
  groupPricePerUnit,
  requireMeasure,
  practicePrescribing,
  practicesByMeasures,
  MIN_GROUP_SAVING_PENCE,
} from './prescribing.service.js';
import {
  comparisonText,
  groupChartSvg,
  measureCsvColumns,
  measureProvenance,
  method,
  pence,
  ppuCsvColumns,
  ppuMethod,
  practiceSmallMultiples,
  sourcesFor,
} from './prescribing.view.js';
import { demoPrescribingStatus } from './synthetic-seed.js';

interface Deps {
  db: Db;
  facts: FactStore;
  cache: DataCache;
}

const monthQuery = (c: Context<AppEnv>) => c.req.query('month') || undefined;
const pounds = (p: number) => `£${p / 100}`;

export function registerPrescribingRoutes(
  app: Hono<AppEnv>,
  { db, facts, cache }: Deps,
  access: GroupAccess,
) {
  const { privateGroup, cachedPage, cachedJson, crumbs } = access;
  const rxCrumbs = (group: Group) =>
    crumbs(group, [{ text: 'Prescribing', href: `/groups/${group.code}/prescribing` }]);
  const memo = <T>(key: string, work: () => Promise<T>) => cache.memo(key, work);
  const dashboardOf = (group: Group, month: string | undefined) =>
    memo(`rx-dashboard|${group.code}|${month ?? ''}`, () => groupMeasures(db, facts, group, month));
  const ppuOf = (group: Group, month: string | undefined) =>
    memo(`rx-ppu|${group.code}|${month ?? ''}`, () => groupPricePerUnit(db, facts, group, month));
  const monthItems = (months: readonly string[], month: string | undefined) =>
    months.map((m) => ({ value: m, text: m, selected: m === month }));
  const ppuRule = ppuMethod(pounds(MIN_PRACTICE_SAVING_PENCE), pounds(MIN_GROUP_SAVING_PENCE));

  // ---- dashboard ------------------------------------------------------------------------------
  app.get('/groups/:code/prescribing', async (c) => {
    const group = await privateGroup(c);
    return cachedPage(c, async () => {
      const result = await dashboardOf(group, monthQuery(c));
      const ppu = await ppuOf(group, result.month);
      return {
        template: 'prescribing.njk',
        data: {
          title: `${group.name}: prescribing`,
          group,
          result,
          measures: result.measures.map((m) => ({
            ...m,
            direction: directionText(m),
            comparison: comparisonText(m),
            savingPence: pence(m.latest?.savingPence),
            svg: groupChartSvg(m, group.name, `chart-${m.id}`),
          })),
          ppuTop: ppu.rows.slice(0, 10).map((r) => ({ ...r, savingPence: pence(r.saving_pence) })),
          ppuTotalPence: pence(ppu.totalPence),
          ppuPresentations: ppu.presentations,
          monthItems: monthItems(result.months, result.month),
          sources: sourcesFor(result.dataStatus),
          method,
          demo: demoPrescribingStatus,
          breadcrumbs: crumbs(group),
        },
      };
    });
  });
  app.get('/api/v1/groups/:code/prescribing', async (c) => {
    const group = await privateGroup(c);
    return cachedJson(c, async () => {
      const result = await dashboardOf(group, monthQuery(c));
      return {
        group: { code: group.code, name: group.name },
        month: result.month,
        months: result.months,
        dataStatus: result.dataStatus,
        computation: result.computation,
        measures: result.measures,
        method,
        sources: sourcesFor(result.dataStatus),
      };
    });
  });
  app.get('/groups/:code/prescribing/measures.csv', async (c) => {
    const group = await privateGroup(c);
    const result = await practicesByMeasures(db, facts, group, monthQuery(c));
    return sendCsv(
      c,
      `prescribing-measures-${group.code}-${result.month ?? 'none'}.csv`,
      toCsv(
        [
          { header: 'month', value: () => result.month ?? '' },
          { header: 'practice_code', value: (r) => r.practice_code },
          { header: 'practice_name', value: (r) => r.practice_name },
          { header: 'measure', value: (r) => r.measure },
          { header: 'measure_title', value: (r) => r.title },
          { header: 'unit', value: (r) => r.unit },
          { header: 'numerator', value: (r) => r.numerator },
          { header: 'denominator', value: (r) => r.denominator },
          { header: 'value', value: (r) => r.ratio },
          { header: 'national_percentile', value: (r) => r.percentile },
          {
            header: 'saving_at_10th_percentile_pounds',
            value: (r) => penceAsPounds(pence(r.saving_pence)),
          },
          { header: 'data', value: () => result.dataStatus },
        ],
        result.rows,
      ),
    );
  });

  // ---- one measure ----------------------------------------------------------------------------
  const measureOf = async (group: Group, id: string, month: string | undefined) => {
    const measure = requireMeasure(id);
    return memo(`rx-measure|${group.code}|${id}|${month ?? ''}`, async () =>
      groupMeasure(facts, await dashboardOf(group, month), measure),
    );
  };
  app.get('/groups/:code/prescribing/measures/:measure', async (c) => {
    const group = await privateGroup(c);
    return cachedPage(c, async () => {
      const r = await measureOf(group, c.req.param('measure'), monthQuery(c));
      return {
        template: 'prescribing-measure.njk',
        data: {
          title: `${r.measure.title}: ${group.name}`,
          group,
          r,
          provenance: measureProvenance(r.measure),
          comparison: comparisonText(r.summary),
          svg: groupChartSvg(r.summary, group.name, 'measure-chart'),
          smallMultiples: practiceSmallMultiples(r),
          practices: r.practices.map((p) => ({ ...p, savingPence: pence(p.savingPence) })),
          savingTotal: pence(r.savingTotal),
          groupSaving: pence(r.summary.latest?.savingPence),
          monthItems: monthItems(r.months, r.month),
          sources: sourcesFor(r.dataStatus),
          method,
          breadcrumbs: rxCrumbs(group),
        },
      };
    });
  });
  app.get('/groups/:code/prescribing/measures/:measure/practices.csv', async (c) => {
    const group = await privateGroup(c);
    const r = await measureOf(group, c.req.param('measure'), monthQuery(c));
    return sendCsv(
      c,
      `${r.measure.id}-${group.code}-${r.month ?? 'none'}.csv`,
      toCsv(measureCsvColumns(r), r.practices),
    );
  });
  app.get('/api/v1/groups/:code/prescribing/measures/:measure', async (c) => {
    const group = await privateGroup(c);
    return cachedJson(c, async () => {
      const r = await measureOf(group, c.req.param('measure'), monthQuery(c));
      return {
        group: { code: group.code, name: group.name },
        measure: r.measure,
        month: r.month,
        dataStatus: r.dataStatus,
        latest: r.summary.latest,
        group_series: r.summary.months,
        practices: r.practices,
        savingTotalPence: r.savingTotal,
        method,
        sources: sourcesFor(r.dataStatus),
      };
    });
  });

  // ---- price-per-unit ---------------------------------------------------------------------------
  app.get('/groups/:code/prescribing/price-per-unit', async (c) => {
    const group = await privateGroup(c);
    return cachedPage(c, async () => {
      const r = await ppuOf(group, monthQuery(c));
      return {
        template: 'prescribing-ppu.njk',
        data: {
          title: `${group.name}: price-per-unit savings`,
          group,
          r,
          rows: r.allRows.map((x) => ({ ...x, savingPence: pence(x.saving_pence) })),
          totalPence: pence(r.totalPence),
          ppuMethod: ppuRule,
          monthItems: monthItems(r.months, r.month),
          sources: sourcesFor(r.dataStatus),
          breadcrumbs: rxCrumbs(group),
        },
      };
    });
  });
  app.get('/groups/:code/prescribing/price-per-unit.csv', async (c) => {
    const group = await privateGroup(c);
    const r = await ppuOf(group, monthQuery(c));
    return sendCsv(
      c,
      `price-per-unit-savings-${group.code}-${r.month ?? 'none'}.csv`,
      toCsv(ppuCsvColumns(r.month, r.dataStatus, true), r.allRows),
    );
  });
  app.get('/api/v1/groups/:code/prescribing/price-per-unit', async (c) => {
    const group = await privateGroup(c);
    return cachedJson(c, async () => {
      const r = await ppuOf(group, monthQuery(c));
      return {
        group: { code: group.code, name: group.name },
        month: r.month,
        dataStatus: r.dataStatus,
        rule: ppuRule,
        totalPence: r.totalPence,
        rows: r.allRows,
        sources: sourcesFor(r.dataStatus),
      };
    });
  });

  // ---- one practice ---------------------------------------------------------------------------
  const practiceOf = (group: Group, code: string, month: string | undefined) =>
    memo(`rx-practice|${group.code}|${code}|${month ?? ''}`, async () =>
      practicePrescribing(facts, group, await dashboardOf(group, month), code.toUpperCase()),
    );
  app.get('/groups/:code/prescribing/practices/:practice', async (c) => {
    const group = await privateGroup(c);
    return cachedPage(c, async () => {
      const r = await practiceOf(group, c.req.param('practice'), monthQuery(c));
      return {
        template: 'prescribing-practice.njk',
        data: {
          title: `${r.practice.name}: prescribing`,
          group,
          r,
          measures: r.measures.map((m) => {
            const measure = findMeasure(m.id)!;
            return {
              ...m,
              savingPence: pence(m.savingPence),
              measure,
              direction: directionText(measure),
            };
          }),
          ppu: r.ppu.map((x) => ({ ...x, savingPence: pence(x.saving_pence) })),
          ppuTotalPence: pence(r.ppuTotalPence),
          ppuMethod: ppuRule,
          chapters: r.chapters.map((x) => ({
            ...x,
            practicePence: pence(x.practicePence),
            fairSharePence: pence(x.fairSharePence),
            differencePence: pence(x.differencePence),
          })),
          monthItems: monthItems(r.months, r.month),
          sources: sourcesFor(r.dataStatus),
          method,
          breadcrumbs: rxCrumbs(group),
        },
      };
    });
  });
  app.get('/api/v1/groups/:code/prescribing/practices/:practice', async (c) => {
    const group = await privateGroup(c);
    return cachedJson(c, async () => {
      const r = await practiceOf(group, c.req.param('practice'), monthQuery(c));
      return {
        group: { code: group.code, name: group.name },
        practice: { code: r.practice.code, name: r.practice.name },
        month: r.month,
        dataStatus: r.dataStatus,
        listSize: r.listSize,
        measures: r.measures,
        pricePerUnit: { rule: ppuRule, totalPence: r.ppuTotalPence, rows: r.ppu },
        chapters: r.chapters,
        fairShareMethod:
          'The group’s spend (actual cost) in the chapter × the practice’s list size ÷ the group’s list size.',
        method,
        sources: sourcesFor(r.dataStatus),
      };
    });
  });
  app.get('/groups/:code/prescribing/practices/:practice/measures.csv', async (c) => {
    const group = await privateGroup(c);
    const r = await practiceOf(group, c.req.param('practice'), monthQuery(c));
    return sendCsv(
      c,
      `prescribing-measures-${r.practice.code}-${r.month ?? 'none'}.csv`,
      toCsv(
        [
          { header: 'month', value: () => r.month ?? '' },
          { header: 'measure', value: (m) => m.id },
          { header: 'measure_title', value: (m) => m.title },
          { header: 'unit', value: (m) => m.unit },
          { header: 'value', value: (m) => m.value },
          { header: 'national_percentile', value: (m) => m.percentile },
          { header: 'group_value', value: (m) => m.groupValue },
          { header: 'national_median', value: (m) => m.nationalMedian },
          {
            header: 'saving_at_10th_percentile_pounds',
            value: (m) => penceAsPounds(pence(m.savingPence)),
          },
          { header: 'data', value: () => r.dataStatus },
        ],
        r.measures,
      ),
    );
  });
  app.get('/groups/:code/prescribing/practices/:practice/chapters.csv', async (c) => {
    const group = await privateGroup(c);
    const r = await practiceOf(group, c.req.param('practice'), monthQuery(c));
    return sendCsv(
      c,
      `prescribing-chapters-${r.practice.code}-${r.month ?? 'none'}.csv`,
      toCsv(
        [
          { header: 'month', value: () => r.month ?? '' },
          { header: 'bnf_chapter', value: (x) => x.code },
          { header: 'chapter', value: (x) => x.name },
          { header: 'spend_pounds', value: (x) => penceAsPounds(pence(x.practicePence)) },
          { header: 'fair_share_pounds', value: (x) => penceAsPounds(pence(x.fairSharePence)) },
          { header: 'difference_pounds', value: (x) => penceAsPounds(pence(x.differencePence)) },
          { header: 'list_size', value: () => r.listSize },
          { header: 'group_list_size', value: () => r.groupListSize },
          { header: 'data', value: () => r.dataStatus },
        ],
        r.chapters,
      ),
    );
  });
  app.get('/groups/:code/prescribing/practices/:practice/price-per-unit.csv', async (c) => {
    const group = await privateGroup(c);
    const r = await practiceOf(group, c.req.param('practice'), monthQuery(c));
    return sendCsv(
      c,
      `price-per-unit-savings-${r.practice.code}-${r.month ?? 'none'}.csv`,
      toCsv(ppuCsvColumns(r.month, r.dataStatus, false), r.ppu),
    );
  });
}
