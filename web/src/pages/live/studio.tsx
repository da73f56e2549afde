// The host's studio page (/studio/:id). The console itself (studio-view.tsx,
// its panes and styles) is a chunk of its own, loaded on the way here: a
// viewer's first load never carries the host's tools.
import type { FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ErrorBox, Spinner } from '../../ui';

type View = FunctionComponent<{ params: Record<string, string> }>;

let loaded: View | null = null;

export function StudioPage({ params }: { params: Record<string, string> }) {
  const [view, setView] = useState<View | null>(() => loaded);
  const [err, setErr] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (view) return;
    import('./studio-view').then(
      (m) => {
        loaded = m.StudioConsole;
        setView(() => m.StudioConsole);
      },
      (e) => setErr(e),
    );
  }, [attempt]);
  if (err)
    return (
      <ErrorBox
        err={err}
        retry={() => {
          setErr(null);
          setAttempt((n) => n + 1);
        }}
      />
    );
  if (!view) return <Spinner />;
  const V = view;
  return <V params={params} />;
}
