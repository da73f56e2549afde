// CSV/JSON product import: upload a file, then poll the job and show a
// progress bar with done/total and the rows that failed.
import { useRef, useState } from 'preact/hooks';
import { api, list, one } from '../../api';
import { dateTime } from '../../format';
import type { ImportJob, Shop } from '../../types';
import { Button, Card, Empty, FormError, Loaded, StatusBadge, useAction, useAsync, usePoll } from '../../ui';

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
        {p.done} / {p.total || '?'} products processed{p.created !== undefined ? ` · ${p.created} imported` : ''}
        {p.failed > 0 ? ` · ${p.failed} failed` : ''}
        {job.created_at ? <span class="muted"> · started {dateTime(job.created_at)}</span> : null}
      </p>
      {(job.errors ?? []).length > 0 && (
        <div class="tablewrap">
          <table class="table" data-testid="import-errors">
            <thead>
              <tr>
                <th class="num">Row</th>
                <th>Field</th>
                <th>Problem</th>
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
    if (!file) throw new Error('choose a .csv or .json file first');
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
      <Card title="Import products">
        <p class="muted small">
          Upload a <b>.csv</b> or <b>.json</b> file of products and SKUs. Rows are checked one by one; the rows that fail are listed with the reason, the others are imported.
        </p>
        <details class="small">
          <summary>File format</summary>
          <p>
            CSV columns: <span class="mono">{CSV_COLUMNS.join(',')}</span>. Rows with the same <span class="mono">product_ref</span> are SKUs of
            one product. <span class="mono">price</span> is in yuan (19.90), <span class="mono">tags</span> are separated by{' '}
            <span class="mono">|</span>, <span class="mono">attributes</span> are <span class="mono">colour=red;size=M</span>.
          </p>
          <pre class="mono example">{CSV_EXAMPLE}</pre>
          <p>
            JSON: an array of products as in <span class="mono">POST /api/v1/shops/{'{id}'}/products</span> (prices in minor units).
          </p>
        </details>
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            upload.run();
          }}
        >
          <input ref={input} type="file" name="file" accept=".csv,.json,text/csv,application/json" data-testid="import-file" class="grow" />
          <Button type="submit" busy={upload.busy} data-testid="import-submit">
            Upload
          </Button>
        </form>
        <FormError err={upload.error} />
        {current && <Progress job={current} />}
        <FormError err={pollErr} />
      </Card>
      <Card title="Earlier imports">
        <Loaded a={history}>
          {(pg) => {
            const items = pg.items.filter((j) => j.id !== current?.id);
            if (items.length === 0) return <Empty>No earlier imports.</Empty>;
            return (
              <ul class="plain">
                {items.map((j) => {
                  const p = importProgress(j);
                  return (
                    <li key={j.id} class="import-row">
                      <span class="grow">{j.filename || j.id}</span>
                      <span class="small muted">
                        {p.done}/{p.total} · {p.failed} failed · {dateTime(j.created_at)}
                      </span>
                      <StatusBadge status={j.status} />
                      <button class="link" onClick={() => setCurrent(j)}>
                        Details
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
