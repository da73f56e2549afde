// CSV/JSON product import: upload a file, then poll the job and show a
// progress bar with done/total and the rows that failed.
import { useRef, useState } from 'preact/hooks';
import { api, list, one } from '../../api';
import { dateTime } from '../../format';
import { t } from '../../i18n';
import type { ImportJob, Shop } from '../../types';
import { Button, Card, Empty, FormError, Loaded, StatusBadge, useAction, useAsync, usePoll } from '../../ui';
import { tSlots } from '../../i18n/slots';

const CSV_COLUMNS = ['product_ref', 'title', 'description', 'category', 'tags', 'commission_bps', 'sku_code', 'attributes', 'price', 'currency', 'stock'];
const CSV_EXAMPLE = `product_ref,title,category,tags,commission_bps,sku_code,attributes,price,stock
tea-1,Pu-erh tea,food,tea|organic,1000,TEA-250,weight=250g,19.90,40
tea-1,Pu-erh tea,food,tea|organic,1000,TEA-500,weight=500g,35.00,20`;

const TERMINAL = new Set(['done', 'completed', 'complete', 'succeeded', 'finished', 'failed', 'error', 'cancelled']);

/** importProgress reads a job's counters whatever they are called. */
export function importProgress(j: ImportJob): { done: number; total: number; failed: number; created?: number; finished: boolean } {
  const r = j as unknown as Record<string, unknown>;
  const num = (...keys: string[]) => {
    for (const k of keys) if (typeof r[k] === 'number') return r[k] as number;
    return undefined;
  };
  const failed = num('failed', 'failed_rows', 'error_count') ?? (j.errors ?? []).length;
  const total = num('total', 'total_rows', 'rows') ?? 0;
  const ok = num('succeeded', 'imported');
  const done = num('done', 'processed', 'processed_rows') ?? (ok !== undefined ? ok + failed : 0);
  return { done, total, failed, created: num('created', 'succeeded', 'imported'), finished: TERMINAL.has(j.status) };
}

function Progress({ job }: { job: ImportJob }) {
  const p = importProgress(job);
  const pct = p.total > 0 ? Math.min(100, Math.round((p.done * 100) / p.total)) : p.finished ? 100 : 0;
  return (
    <div class="import" data-testid="import-job" data-status={job.status}>
      <div class="import-head">
        <b>{job.filename || job.id}</b>
        <StatusBadge status={job.status} testid="import-status" />
      </div>
      <div
        class="progress"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={p.total || 100}
        aria-valuenow={p.total ? p.done : pct}
        data-testid="import-progress"
      >
        <div class={p.failed > 0 ? 'progress-bar has-errors' : 'progress-bar'} style={{ width: `${pct}%` }} />
      </div>
      <p class="small" data-testid="import-counts">
        {t('merchant.import.processed', { done: p.done, total: p.total || '?' })}
        {p.created !== undefined ? ` · ${t('merchant.import.imported', { n: p.created })}` : ''}
        {p.failed > 0 ? ` · ${t('merchant.import.failed', { n: p.failed })}` : ''}
        {job.created_at ? <span class="muted"> · {t('merchant.import.started', { time: dateTime(job.created_at) })}</span> : null}
      </p>
      {(job.errors ?? []).length > 0 && (
        <div class="tablewrap">
          <table class="table" data-testid="import-errors">
            <thead>
              <tr>
                <th class="num">{t('merchant.import.row')}</th>
                <th>{t('merchant.import.field')}</th>
                <th>{t('merchant.import.problem')}</th>
              </tr>
            </thead>
            <tbody>
              {(job.errors ?? []).map((e, i) => (
                <tr key={i}>
                  <td class="num">{e.row || ''}</td>
                  <td class="mono small">{e.field ?? ''}</td>
                  <td>{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

export function ImportsTab({ shop }: { shop: Shop }) {
  const input = useRef<HTMLInputElement>(null);
  const [current, setCurrent] = useState<ImportJob | null>(null);
  const [pollErr, setPollErr] = useState<unknown>(null);
  const history = useAsync((signal) => list<ImportJob>(`/shops/${shop.id}/imports`, { limit: 20 }, signal), [shop.id]);

  const upload = useAction(async () => {
    const file = input.current?.files?.[0];
    if (!file) throw new Error(t('merchant.import.chooseFile'));
    const form = new FormData();
    form.append('file', file);
    const job = one<ImportJob>(await api.upload(`/shops/${shop.id}/imports`, form), 'import');
    if (input.current) input.current.value = '';
    setPollErr(null);
    setCurrent(job);
  });

  const running = !!current && !importProgress(current).finished;
  usePoll(
    async () => {
      if (!current) return;
      try {
        const j = one<ImportJob>(await api.get(`/imports/${current.id}`), 'import');
        setCurrent(j);
        setPollErr(null);
        if (importProgress(j).finished) history.reload();
      } catch (e) {
        setPollErr(e);
      }
    },
    1000,
    running,
  );

  return (
    <div class="stack">
      <Card title={t('merchant.import.title')}>
        <p class="muted small">
          {tSlots('merchant.import.intro', { csv: <b>.csv</b>, json: <b>.json</b> })}
        </p>
        <details class="small">
          <summary>{t('merchant.import.format')}</summary>
          <p>
            {tSlots('merchant.import.csvHelp', {
              columns: <span class="mono">{CSV_COLUMNS.join(',')}</span>,
              ref: <span class="mono">product_ref</span>,
              price: <span class="mono">price</span>,
              tags: <span class="mono">tags</span>,
              bar: <span class="mono">|</span>,
              attributes: <span class="mono">attributes</span>,
              example: <span class="mono">colour=red;size=M</span>,
            })}
          </p>
          <pre class="mono example">{CSV_EXAMPLE}</pre>
          <p>
            {tSlots('merchant.import.jsonHelp', { endpoint: <span class="mono">POST /api/v1/shops/{'{id}'}/products</span> })}
          </p>
        </details>
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            upload.run();
          }}
        >
          <input ref={input} type="file" name="file" accept=".csv,.json,text/csv,application/json" data-testid="import-file" class="grow" aria-label={t('merchant.import.file')} />
          <Button type="submit" busy={upload.busy} data-testid="import-submit">
            {t('merchant.import.upload')}
          </Button>
        </form>
        <FormError err={upload.error} />
        {current && <Progress job={current} />}
        <FormError err={pollErr} />
      </Card>
      <Card title={t('merchant.import.earlier')}>
        <Loaded a={history}>
          {(pg) => {
            const items = pg.items.filter((j) => j.id !== current?.id);
            if (items.length === 0) return <Empty>{t('merchant.import.noEarlier')}</Empty>;
            return (
              <ul class="plain">
                {items.map((j) => {
                  const p = importProgress(j);
                  return (
                    <li key={j.id} class="import-row">
                      <span class="grow">{j.filename || j.id}</span>
                      <span class="small muted">
                        {p.done}/{p.total} · {t('merchant.import.failed', { n: p.failed })} · {dateTime(j.created_at)}
                      </span>
                      <StatusBadge status={j.status} />
                      <button class="link" onClick={() => setCurrent(j)}>
                        {t('merchant.import.details')}
                      </button>
                    </li>
                  );
                })}
              </ul>
            );
          }}
        </Loaded>
      </Card>
    </div>
  );
}
