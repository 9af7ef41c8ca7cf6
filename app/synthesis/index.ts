/** The theme engine's public surface (pure TypeScript: no DB, no React, no I/O). */
export { buildThemes, OTHER_ID, OTHER_LABEL, defaultMinThemeSize, stabilityScores } from "./themes";
export type { Theme, ThemeDoc, ThemeOptions, ThemeResult, ThemeStage, StabilityScore } from "./themes";
export { opinionGroups, smoothedProportion, twoProportionZ, proportionZ } from "./opinion";
export type { OpinionOptions, OpinionResult, OpinionGroup, RepresentativeStatement, StatementScore, Vote } from "./opinion";
export { runSynthesis } from "./pipeline";
export type { SynthesisInput, SynthesisOutput, SynthesisTheme, OpinionSummary } from "./pipeline";
export { nmi, clusteringAccuracy, adjustedRandIndex, hungarian } from "./metrics";
export { tokenize, analyze, createAnalyzer } from "./tokenize";
export { porterStem } from "./stem";
export { buildTfidf } from "./tfidf";
export { mulberry32 } from "./rng";
