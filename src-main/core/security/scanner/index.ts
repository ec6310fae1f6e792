export { scanDefinition, scanTool, sentenceUnits, flagged, scanShadowing, otherServersTools, purposeOf, type ScanOptions, type PlacedUnit } from './scan.js';
export { visible } from './hidden-text.js';
export { Classifier, CLASSIFIER_FILE, forward, INTENTS, type ClassifierFile, type Intent, type Layer, type Tree } from './classifier.js';
export { definitionFeatures, scoreWithoutSuspects, FEATURE_NAMES, readSentence, type ReadSentence, type Unit } from './features.js';
export type { Family, Finding, Severity } from './types.js';
export { isProse } from './texts.js';
