/**
 * `local-llm-harness`: the harness as a library. The CLI (`harness`) is built on these.
 */
export { defineConfig } from './config/index.ts';
export type { HarnessConfig, HarnessConfigInput } from './config/schema.ts';
export { HarnessConfigSchema } from './config/schema.ts';
export { loadConfigFile, resolveConfig } from './config/load.ts';
export { HarnessError, ExitCode } from './core/errors.ts';
export type { ModelBackend, LoglikelihoodRequest, LoglikelihoodResult, GenerationOptions, GenerationResult, ChatMessage, BackendStats } from './models/backend.ts';
export { PromptTooLongError } from './models/backend.ts';
export { loadBackend, BACKEND_NAMES } from './models/registry.ts';
export { runEvaluation, resumeEvaluation, loadModel, type RunOptions, type ResumeOptions, type RunOutcome } from './runner/run.ts';
export { compareRuns, loadRun, type Comparison, type CompareOptions } from './compare/compare.ts';
export { buildReport } from './report/report.ts';
export { readRunRecord, readSamples, samplesFile } from './results/files.ts';
export { RunRecordSchema, SCHEMA_VERSION, type RunRecord } from './results/schema.ts';
export { SAMPLE_SCHEMAS } from './results/samples.ts';
export { classifyResponse } from './tasks/refusal/classifier.ts';
