/** The champion registry's research API (issue 5 items 3 and 4). */
export { getChampion, championHistory, listChampions, resolveChampionParams, championKey, type HistoryPage } from './registry.js';
export { promote, type PromoteRequest, type PromoteResult, type PromoteHooks } from './promote.js';
export { rollback, type RollbackRequest, type RollbackResult } from './rollback.js';
export { exportChampion, championFileName, championsDir, championDocument, sanitizeForFile, type ExportResult, type FileWriter } from './export.js';
export { GATE_NAMES, THRESHOLD_NAMES, type GateName, type GateReport, type GateResult, type GateOverride, type Thresholds, type CandidateRef } from './types.js';
