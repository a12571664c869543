// Finding duplicate customers (the README's "How crm finds duplicates" tells it for users):
// - every pair of records that share a blocking key (a phone, an email, a name with a birthday or
//   city, ...) is weighed by a match model in the manner of Fellegi and Sunter: each field's level of
//   agreement adds bits of evidence, log2(m/u), or log2(m/tf) for a value agreed on (a common name
//   says less), and the sum with a prior is the probability that they are one person;
// - the model is fitted on the shop's own records (EM on pairs sharing a name, a birthday or a
//   phone; u from random pairs), merges made by hand as labels, the built-in values as a prior;
// - certain (what --auto merges): a shared phone, email or member number, names that agree, and
//   the model's probability 0.95 or more.
// Candidate pairs come from blocking keys, so the work grows with the number of customers, not with
// its square. Pure: the store feeds records in.
// Libraries: opencc-js (traditional -> simplified, the OpenCC dictionaries), pinyin-pro (pinyin of
// names, with surname readings), @skyra/jaro-winkler (string similarity), double-metaphone (how a
// Latin name sounds, for blocking names with typos).
//
//   record.ts    the record as compared, the survivor's facts, blocking, counting and training keys
//   compare.ts   names, birthdays, addresses and emails compared
//   levels.ts    the fields and their levels of agreement: a pair's comparison vector
//   model.ts     m, u and the prior: fitting (EM) and weighing a level, term frequencies
//   train.ts     what a fit reads: identifier-like custom fields, random pairs, session samples
//   score.ts     the probability of a pair, with each field's bits, and the certain rule
//   clusters.ts  blocks scored, pairs grouped into clusters, members explained
export { blockingKeys, comparable, countKeys, frequencyHash, frequencyKey, isCountOnly, isFrequencyKey, keyHash, type MatchInput, matchRecord, type MatchRecord, nameValue, survivorFacts, trainingKeys } from './record.js';
export { addressSimilarity, compareNames } from './compare.js';
export { BUILT_IN_FIELDS, compareField, compareRecords, fieldId, LEVELS, MISSING, type FieldKind, type FieldSpec } from './levels.js';
export { fitModel, KeyCounts, levelBits, tfMark, usableModel, priorBits, priorModel, probabilityOf, weigher, type Contribution, type FieldModel, type Frequencies, type MatchModel, type Session, type Weigher } from './model.js';
export { blockPairs, blockShare, BLOCK_PAIRS, FieldStats, modelFields, randomPairVectors, Reservoir, SESSION_RULES } from './train.js';
export { CERTAIN_PROBABILITY, certainRule, holds, type PairScore, weighPair } from './score.js';
export { chooseSurvivor, type Cluster, clusterLinks, clusterPairs, explainMember, firstSharedKey, memberFromLinks, keyed, type KeyedRecord, type Link, scoreBlocks } from './clusters.js';
