/**
 * Python Optuna for tests: Debian's python3-optuna (3.1.0, the version whose schema the
 * PostgreSQL store writes) with psycopg2, run as /usr/bin/python3 with TZ=UTC (Optuna writes
 * its datetimes in local time; tradelab's are UTC). A missing Optuna fails each test that runs
 * a script, never skips it.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { OPTUNA_LIBRARY_VERSION } from '../../src/storage/optuna-model.js';

export const PYTHON = '/usr/bin/python3';

const INSTALL = 'apt-get install -y --no-install-recommends python3-optuna python3-psycopg2';

let checked: { readonly error: Error | null } | undefined;

/** Throws, saying how to install them, unless Python imports optuna (3.1.0) and psycopg2 (checked once). */
export function requireOptuna(): void {
  checked ??= { error: optunaProblem() };
  if (checked.error) throw checked.error;
}

function optunaProblem(): Error | null {
  const r = spawnSync(PYTHON, ['-c', 'import optuna, psycopg2; print(optuna.__version__)'], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) {
    return new Error(`Python Optuna is missing: \`${PYTHON} -c "import optuna, psycopg2"\` failed (${r.error?.message ?? r.stderr.trim()}). Install it: ${INSTALL}`);
  }
  const version = r.stdout.trim();
  if (version !== OPTUNA_LIBRARY_VERSION) {
    return new Error(`the PostgreSQL store writes Optuna ${OPTUNA_LIBRARY_VERSION}'s schema, but ${PYTHON} has Optuna ${version} (Debian bookworm's ${INSTALL})`);
  }
  return null;
}

/** SQLAlchemy's URL (driver psycopg2) for a postgresql:// URL. */
export const sqlalchemyUrl = (url: string): string => url.replace(/^postgres(ql)?:\/\//, 'postgresql+psycopg2://');

/** The script reading or extending a study with Optuna (study_io.py); the prelude below uses its `plain`. */
export const STUDY_IO = join(PACKAGE_ROOT, 'tests', 'fixtures', 'optuna', 'study_io.py');

/**
 * Python defined before every script: `dump(study)`, a JSON-ready view of a study as Optuna
 * reads it (non-finite floats as "inf", "-inf", "nan"; datetimes as naive text to the
 * millisecond, as tradelab keeps them).
 */
const PRELUDE = String.raw`
import json, math, sys
import optuna
sys.path.insert(0, ${JSON.stringify(dirname(STUDY_IO))})
from study_io import plain as clean  # non-finite floats as "inf", "-inf", "nan"
optuna.logging.set_verbosity(optuna.logging.ERROR)

def dt(d):
    return None if d is None else d.strftime("%Y-%m-%d %H:%M:%S.") + "%03d000" % (d.microsecond // 1000)

def dump(study):
    return clean({
        "name": study.study_name,
        "directions": [d.name for d in study.directions],
        "user_attrs": study.user_attrs,
        "system_attrs": study._storage.get_study_system_attrs(study._study_id),
        "trials": [{
            "number": t.number,
            "state": t.state.name,
            "params": t.params,
            "distributions": {k: json.loads(optuna.distributions.distribution_to_json(v)) for k, v in t.distributions.items()},
            "values": t.values,
            "intermediate_values": sorted([s, v] for s, v in t.intermediate_values.items()),
            "user_attrs": t.user_attrs,
            "system_attrs": t.system_attrs,
            "datetime_start": dt(t.datetime_start),
            "datetime_complete": dt(t.datetime_complete),
        } for t in study.get_trials(deepcopy=False)],
    })

def emit(x):
    print(json.dumps(x))
`;

/**
 * Runs `script` (after the prelude) with argv[1:] = args; returns the JSON of its last stdout
 * line. Throws first when Python Optuna is missing (requireOptuna), so each test using it fails.
 */
export function runOptuna<T = unknown>(script: string, args: readonly string[] = []): T {
  requireOptuna();
  const r = spawnSync(PYTHON, ['-c', `${PRELUDE}\n${script}`, ...args], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, TZ: 'UTC' } });
  if (r.status !== 0) throw new Error(`Python Optuna script failed (${r.error?.message ?? `exit ${r.status}`}):\n${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as T;
}


/** tests/fixtures/optuna/study_io.py `args` (read or extend a study with Optuna); its JSON output. */
export function runStudyIo<T = unknown>(args: readonly string[]): T {
  requireOptuna();
  const r = spawnSync(PYTHON, [STUDY_IO, ...args], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' }, timeout: 120_000 });
  if (r.status !== 0) throw new Error(`study_io.py ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}):\n${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** The inverse of the scripts' non-finite encoding: "inf", "-inf" and "nan" back to numbers. */
export function numeric(v: unknown): number {
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  if (v === 'nan') return NaN;
  return v as number;
}
