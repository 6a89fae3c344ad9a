/**
 * Version of the computation (simulator, metrics, indicators). Part of every run
 * fingerprint and study resume signature: bump it whenever a change alters results, so
 * cached results and resumed studies never mix numbers from two engines.
 */
export const ENGINE_VERSION = '1.1.0';
