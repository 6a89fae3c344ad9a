/**
 * A hand-made sma_cross study with a constraint, stored through the engine's Study API: its
 * best objective values belong to infeasible trials and one configuration is repeated, so a
 * ranking that ignores constraints or duplicates gives a different order than the optimizer's.
 */
import { Study } from '../../src/engine/optimizer/study.js';
import type { Attrs } from '../../src/engine/optimizer/trial.js';
import type { SqliteDb } from '../../src/storage/db.js';
import { SqliteStudyStore } from '../../src/storage/study-store.js';

/** number → [fast, value, constraint] (maximise; constraint > 0 = violated by that much); null = FAIL. */
const TRIALS: readonly ([number, number, number] | null)[] = [
  [5, 3, 5], // infeasible, violation 5
  [6, 1, -1],
  [7, 2, 0],
  [7, 2, 0], // the configuration of #2 again
  [8, 5, 1], // best value, infeasible, violation 1
  null,
];

/** The optimizer's order of distinct configurations: feasible by value, then infeasible by violation. */
export const CONSTRAINED_ORDER = [2, 1, 4, 0];
/** The order by value alone, duplicates kept (what a constraint-blind ranking gives). */
export const VALUE_ORDER = [4, 0, 2, 3, 1];
export const CONSTRAINED_FAIL_REASON = 'objective sharpe is null: sharpe: no closed trades';

export async function storeConstrainedStudy(db: SqliteDb, name: string, user_attrs: Attrs = {}): Promise<void> {
  let now = Date.UTC(2024, 0, 1);
  const study = await Study.open({
    store: new SqliteStudyStore(db),
    name,
    directions: ['maximize'],
    space: { fast: { type: 'int', low: 5, high: 9 }, slow: { type: 'int', low: 20, high: 20 } },
    seed: 0,
    clock: () => (now += 1000),
    user_attrs: { strategy: 'sma_cross', ...user_attrs },
  });
  for (const t of TRIALS) {
    const asked = (await study.ask({ fast: t ? t[0] : 9, slow: 20 }))!;
    if (t === null) await study.tell(asked.number, { state: 'FAIL', reason: CONSTRAINED_FAIL_REASON });
    else await study.tell(asked.number, { state: 'COMPLETE', values: [t[1]], constraints: [t[2]] });
  }
}
