// Admin: fee programmes, each shop's fee (with its own override), and the
// admin audit log (?view=audit). Fee changes apply to new orders only: an
// order keeps the fee it was placed under (server: orders.platform_fee_bps).
import { useState } from 'preact/hooks';
import { ApiError, api, list } from '../api';
import { PagedList } from '../components/paged';
import { dateTime, parsePercent, percent } from '../format';
import { t } from '../i18n';
import type { MessageKey } from '../i18n/messages';
import { useLocation } from '../router';
import { useSession } from '../session';
import type { Programme, Shop } from '../types';
import { Button, Field, FormError, Loaded, Notice, useAction, useAsync, useTitle, val } from '../ui';
import { AdminArea } from './admin-tabs';

interface ShopFee {
  shop: Shop;
  programme_name: string;
  programme_fee_bps: number;
  effective_fee_bps: number;
}

interface AuditEntry {
  id: string;
  actor_id: string;
  action: string;
  target_kind: string;
  target_id: string;
  detail: string;
  created_at: string;
}

/** feeBPS reads a percentage typed by the admin, or throws an error naming field. */
function feeBPS(input: string, field: string): number {
  const bps = parsePercent(input.trim());
  if (bps === null) throw new ApiError(400, 'invalid', t('admin.fees.feeInvalid'), field);
  return bps;
}

/** pct renders basis points as a percentage input value: 500 → "5". */
function pct(bps: number): string {
  return percent(bps).replace(/%$/, '');
}

function ProgrammeForm(p: {
  initial?: Programme;
  submitLabel: string;
  onDone: (pr: Programme) => void;
  onCancel?: () => void;
  testid: string;
}) {
  const editing = !!p.initial;
  const [code, setCode] = useState('');
  const [name, setName] = useState(p.initial?.name ?? '');
  const [description, setDescription] = useState(p.initial?.description ?? '');
  const [fee, setFee] = useState(p.initial ? pct(p.initial.platform_fee_bps) : '');
  const act = useAction(async () => {
    const bps = feeBPS(fee, 'platform_fee_bps');
    const body = { name: name.trim(), description: description.trim(), platform_fee_bps: bps };
    const was = p.initial;
    if (!was) {
      p.onDone(await api.post<Programme>('/admin/programmes', { ...body, code: code.trim() }));
      return;
    }
    // Send only what changed, so the audit log records just that.
    const patch: Partial<Programme> = {};
    if (body.name !== was.name) patch.name = body.name;
    if (body.description !== was.description) patch.description = body.description;
    if (bps !== was.platform_fee_bps) patch.platform_fee_bps = bps;
    if (Object.keys(patch).length === 0) {
      p.onCancel?.();
      return;
    }
    p.onDone(await api.patch<Programme>(`/admin/programmes/${encodeURIComponent(was.code)}`, patch));
  });
  const fields = ['code', 'name', 'description', 'platform_fee_bps'];
  return (
    <form
      class="form"
      data-testid={p.testid}
      onSubmit={(e) => {
        e.preventDefault();
        act.run();
      }}
    >
      {!editing && (
        <Field label={t('admin.fees.code')} name="code" err={act.error} hint={t('admin.fees.codeHint')}>
          <input value={code} onInput={(e) => setCode(val(e))} required autocomplete="off" data-testid="programme-code" />
        </Field>
      )}
      <Field label={t('admin.fees.name')} name="name" err={act.error}>
        <input value={name} onInput={(e) => setName(val(e))} required data-testid="programme-name" />
      </Field>
      <Field label={t('admin.fees.description')} name="description" err={act.error}>
        <textarea rows={2} value={description} onInput={(e) => setDescription(val(e))} data-testid="programme-description" />
      </Field>
      <Field label={t('admin.fees.fee')} name="platform_fee_bps" err={act.error} hint={t('admin.fees.feeHint')}>
        <input value={fee} onInput={(e) => setFee(val(e))} inputMode="decimal" required data-testid="programme-fee" />
      </Field>
      <FormError err={act.error} fields={fields} />
      <div class="actions">
        {p.onCancel && (
          <Button type="button" kind="ghost" onClick={p.onCancel}>
            {t('admin.fees.cancel')}
          </Button>
        )}
        <Button type="submit" busy={act.busy} data-testid="programme-submit">
          {p.submitLabel}
        </Button>
      </div>
    </form>
  );
}

function ProgrammeCard({ pr: initial, onChange }: { pr: Programme; onChange: () => void }) {
  const [pr, setPr] = useState(initial);
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  return (
    <li class="card" data-testid="programme" data-code={pr.code}>
      <div class="admin-row">
        <h3>
          {pr.name} <span class="admin-code">{pr.code}</span>
        </h3>
        <span class="admin-fee" data-testid="programme-fee-value">
          {t('admin.fees.feeOf', { fee: percent(pr.platform_fee_bps) })}
        </span>
      </div>
      {pr.description && <p class="muted">{pr.description}</p>}
      {saved && <Notice onClose={() => setSaved(false)}>{t('admin.fees.saved')}</Notice>}
      {editing ? (
        <ProgrammeForm
          initial={pr}
          testid="programme-edit-form"
          submitLabel={t('admin.fees.save')}
          onCancel={() => setEditing(false)}
          onDone={(next) => {
            setPr(next);
            setEditing(false);
            setSaved(true);
            onChange();
          }}
        />
      ) : (
        <div class="actions">
          <Button kind="secondary" onClick={() => setEditing(true)} aria-label={t('admin.fees.editOf', { name: pr.name })} data-testid="programme-edit">
            {t('admin.fees.edit')}
          </Button>
        </div>
      )}
    </li>
  );
}

function Programmes({ nonce, onChange }: { nonce: number; onChange: () => void }) {
  const a = useAsync((signal) => list<Programme>('/programmes', {}, signal), [nonce]);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState('');
  return (
    <section class="admin-section" aria-labelledby="admin-programmes-h">
      <div class="admin-row">
        <h2 id="admin-programmes-h">{t('admin.fees.programmes')}</h2>
        {!creating && (
          <Button kind="secondary" onClick={() => setCreating(true)} data-testid="programme-new">
            {t('admin.fees.create')}
          </Button>
        )}
      </div>
      {created && <Notice onClose={() => setCreated('')}>{t('admin.fees.created', { name: created })}</Notice>}
      {creating && (
        <div class="card">
          <ProgrammeForm
            testid="programme-create-form"
            submitLabel={t('admin.fees.createSubmit')}
            onCancel={() => setCreating(false)}
            onDone={(pr) => {
              setCreating(false);
              setCreated(pr.name);
              onChange();
            }}
          />
        </div>
      )}
      <Loaded a={a}>
        {(pg) => (
          <ul class="list" data-testid="programmes">
            {pg.items.map((pr) => (
              <ProgrammeCard key={pr.code} pr={pr} onChange={onChange} />
            ))}
          </ul>
        )}
      </Loaded>
    </section>
  );
}

/** MoveProgramme puts the shop in another programme (audited; new orders only). */
function MoveProgramme({ sf, programmes, onMoved }: { sf: ShopFee; programmes: Programme[]; onMoved: (sf: ShopFee) => void }) {
  const [code, setCode] = useState(sf.shop.programme);
  const [moved, setMoved] = useState('');
  const act = useAction(async () => {
    const next = await api.put<ShopFee>(`/admin/shops/${sf.shop.id}/programme`, { programme: code });
    onMoved(next);
    setMoved(next.programme_name || next.shop.programme);
  });
  if (programmes.length < 2) return null;
  return (
    <form
      class="admin-inline-form"
      data-testid="shop-programme-form"
      onSubmit={(e) => {
        e.preventDefault();
        act.run();
      }}
    >
      {moved && <Notice onClose={() => setMoved('')}>{t('admin.fees.moved', { name: moved })}</Notice>}
      <Field label={t('admin.fees.moveLabel', { shop: sf.shop.name })} name="programme" err={act.error} hint={t('admin.fees.moveHint')}>
        <select value={code} onChange={(e) => setCode(val(e))} data-testid="shop-programme-select">
          {programmes.map((pr) => (
            <option key={pr.code} value={pr.code}>
              {t('admin.fees.shopProgramme', { name: pr.name, fee: percent(pr.platform_fee_bps) })}
            </option>
          ))}
        </select>
      </Field>
      <div class="actions">
        <Button type="submit" kind="secondary" busy={act.busy} disabled={code === sf.shop.programme} data-testid="shop-programme-save">
          {t('admin.fees.move')}
        </Button>
      </div>
      <FormError err={act.error} fields={['programme']} />
    </form>
  );
}

function ShopFeeCard({ sf: initial, programmes }: { sf: ShopFee; programmes: Programme[] }) {
  const [sf, setSf] = useState(initial);
  const own = sf.shop.fee_override_bps;
  const [fee, setFee] = useState(own == null ? '' : pct(own));
  const [saved, setSaved] = useState(false);
  const act = useAction(async (clear: boolean) => {
    const bps = clear || fee.trim() === '' ? null : feeBPS(fee, 'fee_override_bps');
    const sh = await api.put<Shop>(`/admin/shops/${sf.shop.id}/fee`, { fee_override_bps: bps });
    const effective = sh.fee_override_bps ?? sf.programme_fee_bps;
    setSf({ ...sf, shop: sh, effective_fee_bps: effective });
    setFee(sh.fee_override_bps == null ? '' : pct(sh.fee_override_bps));
    setSaved(true);
  });
  return (
    <li class="card" data-testid="shop-fee" data-shop-id={sf.shop.id} data-shop-name={sf.shop.name}>
      <div class="admin-row">
        <h3>{sf.shop.name}</h3>
        <span class="admin-fee" data-testid="shop-fee-effective" data-bps={sf.effective_fee_bps}>
          {t('admin.fees.effective', { fee: percent(sf.effective_fee_bps) })}
          {sf.shop.fee_override_bps != null && <span class="badge badge-info"> {t('admin.fees.overridden')}</span>}
        </span>
      </div>
      <p class="muted small">{t('admin.fees.shopProgramme', { name: sf.programme_name || sf.shop.programme, fee: percent(sf.programme_fee_bps) })}</p>
      {saved && <Notice onClose={() => setSaved(false)}>{t('admin.fees.saved')}</Notice>}
      <form
        class="admin-inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          act.run(false);
        }}
      >
        <Field label={t('admin.fees.override', { shop: sf.shop.name })} name="fee_override_bps" err={act.error} hint={t('admin.fees.overrideHint')}>
          <input value={fee} onInput={(e) => setFee(val(e))} inputMode="decimal" data-testid="shop-fee-input" />
        </Field>
        <div class="actions">
          <Button type="submit" busy={act.busy} data-testid="shop-fee-save">
            {t('admin.fees.overrideSave')}
          </Button>
          {sf.shop.fee_override_bps != null && (
            <Button type="button" kind="ghost" onClick={() => act.run(true)} data-testid="shop-fee-clear">
              {t('admin.fees.overrideClear')}
            </Button>
          )}
        </div>
      </form>
      <FormError err={act.error} fields={['fee_override_bps']} />
      <MoveProgramme sf={sf} programmes={programmes} onMoved={setSf} />
    </li>
  );
}

function auditAction(action: string): string {
  const key = `admin.audit.action.${action}` as MessageKey;
  const text = t(key);
  return text === key ? action : text;
}

function AuditLog() {
  const me = useSession().me.user;
  const who = (id: string) => (!id ? t('admin.audit.commandLine') : id === me?.id ? t('admin.audit.you') : id);
  return (
    <section class="admin-section" aria-labelledby="admin-audit-h">
      <h1 id="admin-audit-h">{t('admin.audit.title')}</h1>
      <p class="admin-lead">{t('admin.audit.lead')}</p>
      <PagedList<AuditEntry>
        path="/admin/audit"
        query={{}}
        testid="audit-log"
        empty={t('admin.audit.empty')}
        render={(e) => (
          <li key={e.id} class="card" data-testid="audit-entry" data-action={e.action} data-target={e.target_id}>
            <div class="admin-row">
              <strong>{auditAction(e.action)}</strong>
              <span class="muted small">{dateTime(e.created_at)}</span>
            </div>
            <p class="admin-audit-detail small">
              <span class="admin-code">
                {e.target_kind} {e.target_id}
              </span>
              {e.detail ? ` · ${e.detail}` : ''}
            </p>
            <p class="muted small">{t('admin.audit.by', { who: who(e.actor_id) })}</p>
          </li>
        )}
      />
    </section>
  );
}

export function AdminProgrammes() {
  const loc = useLocation();
  const audit = loc.query.get('view') === 'audit';
  useTitle(audit ? t('admin.audit.title') : t('admin.fees.title'));
  // A programme change reloads the shops, whose fee may follow it.
  const [nonce, setNonce] = useState(0);
  const programmes = useAsync((signal) => (audit ? Promise.resolve(null) : list<Programme>('/programmes', {}, signal)), [nonce, audit]);
  if (audit)
    return (
      <AdminArea current="audit">
        <AuditLog />
      </AdminArea>
    );
  return (
    <AdminArea current="programmes">
      <h1>{t('admin.fees.title')}</h1>
      <p class="admin-lead" data-testid="fees-lead">
        {t('admin.fees.lead')}
      </p>
      <div class="admin-grid">
        <Programmes nonce={nonce} onChange={() => setNonce((n) => n + 1)} />
        <section class="admin-section" aria-labelledby="admin-shops-h">
          <h2 id="admin-shops-h">{t('admin.fees.shops')}</h2>
          <p class="muted small">{t('admin.fees.shopsLead')}</p>
          <PagedList<ShopFee>
            path="/admin/shops"
            query={{}}
            nonce={nonce}
            testid="shop-fees"
            empty={t('admin.fees.shopsEmpty')}
            render={(sf) => <ShopFeeCard key={`${sf.shop.id}:${nonce}`} sf={sf} programmes={programmes.data?.items ?? []} />}
          />
        </section>
      </div>
    </AdminArea>
  );
}
